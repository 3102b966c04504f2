/**
 * Streaming CSV reading for uploads saved from Excel or WPS: UTF-8 with or without BOM, GBK (what
 * "CSV (逗号分隔)" means on Chinese Windows), UTF-16LE "Unicode text"; comma or tab separated;
 * RFC 4180 quoting with embedded separators, line breaks and doubled quotes.
 */
import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { toPlainCellValue } from './cell-value.ts';
import { DEFAULT_MAX_FILE_BYTES, decodeHead, detectTextEncoding, readFileHead, type TextEncoding } from './detect-file.ts';
import { importFileErrors } from './errors.ts';
import { mapRows, type ParsedRow, type RawRow } from './header-map.ts';
import { DEFAULT_MAX_ROWS, type ReadRowsOptions, type ReadRowsSummary } from './read-options.ts';

/** How a CSV file is encoded and separated. */
export interface CsvFormat {
  encoding: TextEncoding;
  delimiter: ',' | '\t' | ';';
  /** The first line is Excel's `sep=,` hint and is not data. */
  hasSepLine: boolean;
}

/** Counts delimiters outside quotes in the first lines of the sample. */
function countOutsideQuotes(sample: string, ch: string, maxLines = 50): number {
  let count = 0;
  let quoted = false;
  let lines = 0;
  for (const c of sample) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ch) count++;
    else if (!quoted && c === '\n' && ++lines >= maxLines) break;
  }
  return count;
}

/** Encoding and delimiter of a CSV file from its first bytes; `unreadable_encoding` when not text. */
export function detectCsvFormat(head: Buffer): CsvFormat {
  const encoding = detectTextEncoding(head);
  if (encoding === null) throw importFileErrors.unreadableEncoding();
  const sample = decodeHead(head, encoding);
  const sep = /^sep=([,\t;])\r?\n/.exec(sample);
  if (sep) return { encoding, delimiter: sep[1] as CsvFormat['delimiter'], hasSepLine: true };
  const delimiter = countOutsideQuotes(sample, '\t') > countOutsideQuotes(sample, ',') ? '\t' : ',';
  return { encoding, delimiter, hasSepLine: false };
}

/** `="007"` is how Excel users keep leading zeros in CSV; the value is what is inside. */
function unwrapFormulaText(field: string): string {
  const m = /^="(.*)"$/s.exec(field);
  return m ? m[1]!.replace(/""/g, '"') : field;
}

/**
 * Streams the records of a CSV file as raw rows (1-based record numbers, as Excel would number the
 * rows; a quoted line break stays inside its record). Throws `too_large` past `maxBytes` and
 * `unreadable_encoding` when the bytes stop decoding.
 */
export async function* readCsvRecords(path: string, options: { maxBytes?: number } = {}): AsyncGenerator<RawRow> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const format = detectCsvFormat(await readFileHead(path));
  const decoder = new TextDecoder(format.encoding, { fatal: true });
  const delimiter = format.delimiter;

  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotePending = false; // saw a quote inside a quoted field: either an escaped quote or the closing one
  let skipLf = false;
  let fieldWasQuoted = false;
  let recordNumber = format.hasSepLine ? -1 : 0;
  let bytes = 0;
  let pending: RawRow[] = [];

  const endField = (): void => {
    fields.push(fieldWasQuoted ? field : unwrapFormulaText(field));
    field = '';
    fieldWasQuoted = false;
  };
  const endRecord = (): void => {
    endField();
    recordNumber += 1;
    if (recordNumber >= 1) {
      const values = [null, ...fields.map((f) => toPlainCellValue(f))];
      pending.push({ rowNumber: recordNumber, values });
    }
    fields = [];
  };

  const consume = (text: string): void => {
    let runStart = -1; // start of a run of ordinary characters, appended in one slice
    const flush = (end: number): void => {
      if (runStart >= 0) field += text.slice(runStart, end);
      runStart = -1;
    };
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (skipLf) {
        skipLf = false;
        if (c === '\n') continue;
      }
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (c === '"') {
            field += '"';
            continue;
          }
          inQuotes = false; // the quote closed the field; fall through to handle c outside quotes
        } else if (c === '"') {
          flush(i);
          quotePending = true;
          continue;
        } else {
          if (runStart < 0) runStart = i;
          continue;
        }
      }
      if (c === delimiter) {
        flush(i);
        endField();
      } else if (c === '\n' || c === '\r') {
        flush(i);
        endRecord();
        if (c === '\r') skipLf = true;
      } else if (c === '"' && field === '' && runStart < 0 && !fieldWasQuoted) {
        inQuotes = true;
        fieldWasQuoted = true;
      } else if (runStart < 0) {
        runStart = i;
      }
    }
    flush(text.length);
  };

  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > maxBytes) throw importFileErrors.tooLarge(bytes, maxBytes);
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw importFileErrors.unreadableEncoding();
      }
      consume(text);
      if (pending.length > 0) {
        const ready = pending;
        pending = [];
        yield* ready;
      }
    }
    try {
      consume(decoder.decode());
    } catch {
      throw importFileErrors.unreadableEncoding();
    }
    if (quotePending) inQuotes = false;
    if (field !== '' || fields.length > 0 || fieldWasQuoted) endRecord();
    yield* pending;
  } finally {
    stream.destroy();
  }
}

/**
 * Reads a CSV upload like `readRows` reads a sheet: detects the header among the first rows and
 * yields one ParsedRow per non-empty record below it (all values strings, normalised). Returns the
 * header and a sheet name derived from the file name.
 */
export async function* readCsvRows(path: string, options: ReadRowsOptions): AsyncGenerator<ParsedRow, ReadRowsSummary> {
  const sheetName = basename(options.fileName ?? path, extname(options.fileName ?? path));
  const header = yield* mapRows(readCsvRecords(path, { maxBytes: options.maxBytes }), {
    ...options,
    maxRows: options.maxRows ?? DEFAULT_MAX_ROWS,
    sheetName,
  });
  return { header, sheetName };
}
