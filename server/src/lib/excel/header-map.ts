/**
 * Finding the header row of a sheet and turning the rows below it into records keyed by canonical
 * column keys. Shared by the .xlsx and the CSV readers: both feed it raw rows (values by column).
 */
import type { PlainCellValue } from './cell-value.ts';
import { importFileErrors } from './errors.ts';
import { normaliseCellText, normaliseHeaderText } from './text.ts';

/** A physical row as read from the file: 1-based row number and values by 1-based column. */
export interface RawRow {
  rowNumber: number;
  /** Index 0 is unused so that `values[column]` matches Excel's column numbers. */
  values: PlainCellValue[];
}

/** How to recognise the header: synonyms per canonical key and which keys are required. */
export interface HeaderOptions {
  /**
   * Canonical key → the column titles that mean it, e.g. `idNumber: ['身份证号', '身份证', '公民身份号码']`.
   * The first synonym is the label used in messages. Matching ignores spaces, line breaks, `*`,
   * `(必填)`, width and ASCII case; the key itself also matches.
   */
  headerSynonyms: Record<string, readonly string[]>;
  /** Keys whose column must be present. */
  requiredKeys: readonly string[];
  /** How many non-empty rows at the top may hold the header (default 20). */
  headerSearchRows?: number;
}

/** A header cell: its 1-based column and its text. */
export interface HeaderColumn {
  column: number;
  /** The header cell's text as written (normalised for width and spaces). */
  header: string;
}

/** Where the header is and what each column means. */
export interface HeaderDetection {
  /** 1-based row number of the header row. */
  rowNumber: number;
  /** Canonical key → 1-based column number, for the columns found. */
  columns: Record<string, number>;
  /** Canonical key → header text as written in the file. */
  headers: Record<string, string>;
  /** Header cells that match no key: reported so the user knows they were ignored; not an error. */
  unknownColumns: HeaderColumn[];
  /** The last column that has a header cell. */
  columnCount: number;
}

/** A data row below the header. */
export interface ParsedRow {
  /** 1-based, as Excel shows it. */
  rowNumber: number;
  /** One entry per detected key; null when the cell is empty. */
  cells: Record<string, PlainCellValue>;
  /** No detected column has a value (the row only has content in unknown columns). */
  isBlank: boolean;
}

/** The header must be among this many non-empty rows at the top. */
export const DEFAULT_HEADER_SEARCH_ROWS = 20;

/** Label of a key in messages: its first synonym. */
export function labelOf(options: HeaderOptions, key: string): string {
  return options.headerSynonyms[key]?.[0] ?? key;
}

function buildLookup(options: HeaderOptions): Map<string, string> {
  const lookup = new Map<string, string>();
  const add = (text: string, key: string): void => {
    const normalised = normaliseHeaderText(text);
    if (normalised === '') return;
    const existing = lookup.get(normalised);
    if (existing !== undefined && existing !== key) {
      throw new Error(`header synonym "${text}" is given for both "${existing}" and "${key}"`);
    }
    lookup.set(normalised, key);
  };
  for (const [key, synonyms] of Object.entries(options.headerSynonyms)) {
    for (const synonym of synonyms) add(synonym, key);
  }
  for (const key of Object.keys(options.headerSynonyms)) if (!lookup.has(normaliseHeaderText(key))) add(key, key);
  for (const key of options.requiredKeys) {
    if (!Object.hasOwn(options.headerSynonyms, key)) throw new Error(`required key "${key}" has no header synonyms`);
  }
  return lookup;
}

function matchHeader(lookup: Map<string, string>, cell: PlainCellValue): string | undefined {
  if (typeof cell !== 'string') return undefined;
  const normalised = normaliseHeaderText(cell);
  // "出生日期(YYYY-MM-DD)": a hint in brackets after the name is tolerated.
  return lookup.get(normalised) ?? lookup.get(normalised.replace(/\(.*\)$/, ''));
}

function isEmptyRow(row: RawRow): boolean {
  return row.values.every((v) => v === null || v === undefined);
}

function headerText(cell: PlainCellValue): string {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return normaliseCellText(String(cell));
}

function detect(candidates: RawRow[], lookup: Map<string, string>, options: HeaderOptions): HeaderDetection | null {
  let best: RawRow | null = null;
  let bestScore = 0;
  for (const row of candidates) {
    const keys = new Set<string>();
    for (const cell of row.values) {
      const key = matchHeader(lookup, cell ?? null);
      if (key !== undefined) keys.add(key);
    }
    if (keys.size > bestScore) {
      best = row;
      bestScore = keys.size;
    }
  }
  if (best === null) return null;

  const columns: Record<string, number> = {};
  const headers: Record<string, string> = {};
  const unknownColumns: HeaderColumn[] = [];
  const duplicates = new Map<string, string[]>();
  let columnCount = 0;
  best.values.forEach((cell, column) => {
    if (cell === null || cell === undefined || column === 0) return;
    const text = headerText(cell);
    if (text === '') return;
    columnCount = column;
    const key = matchHeader(lookup, cell);
    if (key === undefined) {
      unknownColumns.push({ column, header: text });
    } else if (Object.hasOwn(columns, key)) {
      duplicates.set(key, [...(duplicates.get(key) ?? [headers[key] ?? '']), text]);
    } else {
      columns[key] = column;
      headers[key] = text;
    }
  });

  const missing = options.requiredKeys.filter((key) => !Object.hasOwn(columns, key)).map((key) => ({ key, label: labelOf(options, key) }));
  if (missing.length > 0 || duplicates.size > 0) {
    throw importFileErrors.badColumns(
      missing,
      [...duplicates].map(([key, texts]) => ({ key, label: labelOf(options, key), headers: texts })),
    );
  }
  return { rowNumber: best.rowNumber, columns, headers, unknownColumns, columnCount };
}

/** Maps a raw row to a ParsedRow with the detected columns; null when the row is entirely empty. */
export function toParsedRow(row: RawRow, header: HeaderDetection): ParsedRow | null {
  if (isEmptyRow(row)) return null;
  const cells: Record<string, PlainCellValue> = {};
  let isBlank = true;
  for (const [key, column] of Object.entries(header.columns)) {
    const value = row.values[column] ?? null;
    cells[key] = value;
    if (value !== null) isBlank = false;
  }
  return { rowNumber: row.rowNumber, cells, isBlank };
}

/** Options of `mapRows`: header rules plus the row limit. */
export interface MapRowsOptions extends HeaderOptions {
  /** Most data rows (non-empty rows below the header); one more throws `too_many_rows`. */
  maxRows: number;
  /** Called once with the header, before the first row is yielded. */
  onHeader?: (header: HeaderDetection) => void;
  /** Named in the error when the sheet has no content at all. */
  sheetName?: string;
}

/**
 * Consumes raw rows: buffers the first `headerSearchRows` non-empty rows, picks as header the one
 * matching the most distinct keys (earliest on a tie; rows above it, such as a merged title, are
 * skipped), throws on missing required or duplicate columns, then yields each non-empty row below
 * it. Returns the header.
 */
export async function* mapRows(source: AsyncIterable<RawRow>, options: MapRowsOptions): AsyncGenerator<ParsedRow, HeaderDetection> {
  const lookup = buildLookup(options);
  const searchRows = options.headerSearchRows ?? DEFAULT_HEADER_SEARCH_ROWS;
  const buffered: RawRow[] = [];
  let header: HeaderDetection | null = null;
  let count = 0;

  const emit = (row: RawRow): ParsedRow | null => {
    if (header === null || row.rowNumber <= header.rowNumber) return null;
    const parsed = toParsedRow(row, header);
    if (parsed === null) return null;
    count += 1;
    if (count > options.maxRows) throw importFileErrors.tooManyRows(options.maxRows);
    return parsed;
  };
  const settle = (): HeaderDetection => {
    const found = detect(buffered, lookup, options);
    if (found === null)
      throw importFileErrors.noHeader(
        searchRows,
        Object.keys(options.headerSynonyms).map((k) => labelOf(options, k)),
      );
    options.onHeader?.(found);
    return found;
  };

  for await (const row of source) {
    if (header === null) {
      if (isEmptyRow(row)) continue;
      buffered.push(row);
      if (buffered.length < searchRows) continue;
      header = settle();
      for (const held of buffered.splice(0)) {
        const parsed = emit(held);
        if (parsed) yield parsed;
      }
      continue;
    }
    const parsed = emit(row);
    if (parsed) yield parsed;
  }
  if (header === null) {
    if (buffered.length === 0) throw importFileErrors.empty(options.sheetName);
    header = settle();
    for (const held of buffered.splice(0)) {
      const parsed = emit(held);
      if (parsed) yield parsed;
    }
  }
  return header;
}
