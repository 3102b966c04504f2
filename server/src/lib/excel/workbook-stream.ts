/**
 * The one place that drives exceljs's streaming workbook reader: byte-counted input, sheet
 * selection by name or tab index, parse failures turned into ImportFileErrors, and clean-up of the
 * temporary files exceljs parks worksheets in. Callers must have run the ZIP guard first.
 */
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { excel } from './exceljs.ts';
import { AppError } from '../errors.ts';
import { importFileErrors } from './errors.ts';
import { resolveSheetName, type SheetEntry } from './sheet-select.ts';

export { isHiddenState, resolveSheetName, type SheetEntry } from './sheet-select.ts';

/** The reader options this layer uses (the cached styles give cells their number formats). */
export const STREAM_READER_OPTIONS = {
  entries: 'emit',
  sharedStrings: 'cache',
  hyperlinks: 'ignore',
  styles: 'cache',
  worksheets: 'emit',
} as const satisfies Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>;

// What the streaming reader has at runtime beyond its published typings.
interface StreamedWorkbook {
  model?: { sheets?: SheetEntry[] };
  properties?: { model?: { date1904?: boolean } };
}

/** A worksheet being streamed: its name and its rows (read once, in order). */
export interface StreamedSheet {
  name: string;
  /** Column definitions (widths) once the rows start; null when the sheet defines none. */
  readonly columns: { width?: number }[] | null;
  rows(): AsyncGenerator<ExcelJS.Row, void>;
}

interface RawWorksheetReader extends AsyncIterable<ExcelJS.Row> {
  name: string;
  columns?: { width?: number }[] | null;
  /** The file stream of a worksheet exceljs parked in a temporary file (an async generator when parsed in place). */
  iterator?: { destroy?: () => void; on?: (event: 'error', listener: () => void) => void };
}

/**
 * Closes a worksheet that will not be read. exceljs deletes its temporary file as soon as iteration
 * moves on, possibly before the stream it opened on that file has finished opening; the resulting
 * ENOENT must not surface as an unhandled 'error' event.
 */
function discardWorksheet(sheet: RawWorksheetReader): void {
  sheet.iterator?.on?.('error', () => undefined);
  sheet.iterator?.destroy?.();
}

/** What is known about the workbook when a worksheet starts streaming. */
export interface WorksheetContext {
  /** Sheets in tab order, as far as workbook.xml has been read (in practice: all of them). */
  order: SheetEntry[];
  date1904: boolean;
}

/** Reads one worksheet: either yields items (for a reader) or just does its work (for a copier). */
export type WorksheetVisitor<T> = (sheet: StreamedSheet, context: WorksheetContext) => AsyncIterable<T> | Promise<void>;

interface CountedInput {
  input: Readable;
  /** More than `maxBytes` were read (the stream was ended early). */
  isOverLimit: () => boolean;
  /** The file could not be read (the stream was ended early). */
  readError: () => Error | undefined;
  close: () => void;
}

/**
 * The file as a stream that counts bytes. Past `maxBytes`, or on a read error, it ends early: the
 * unzip then fails on the truncated input (an error event on a piped stream would go unheard).
 */
function countedInput(path: string, maxBytes: number): CountedInput {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  let over = false;
  let failure: Error | undefined;
  const stop = (): void => {
    file.unpipe(counter);
    file.destroy();
    counter.end();
  };
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes <= maxBytes) return callback(null, chunk);
      over = true;
      callback();
      stop();
    },
  });
  file.on('error', (err) => {
    failure = err;
    stop();
  });
  counter.on('error', () => undefined);
  file.pipe(counter);
  return {
    input: counter,
    isOverLimit: () => over,
    readError: () => failure,
    close: () => {
      file.destroy();
      counter.destroy();
    },
  };
}

/**
 * Lets exceljs run to the end of its parse so that it deletes the temporary files it parks
 * worksheets in (it does so only as iteration proceeds); sheets not yet read are closed unread.
 * Cheap: the package is size-checked and the remaining entries are drained, not parsed.
 */
async function drain(sheets: AsyncIterator<ExcelJS.stream.xlsx.WorksheetReader>): Promise<void> {
  try {
    for (;;) {
      const next = await sheets.next();
      if (next.done) return;
      discardWorksheet(next.value as unknown as RawWorksheetReader);
    }
  } catch {
    await sheets.return?.().catch(() => undefined);
  }
}

/**
 * Streams a (guarded) .xlsx and calls `visit` for each worksheet `accept` takes, in file order;
 * yields whatever `visit` yields. exceljs and unzip failures become `corrupt`, reading past
 * `maxBytes` becomes `too_large`. Always finishes exceljs's parse and closes the file.
 */
export async function* streamWorksheets<T>(
  path: string,
  options: {
    maxBytes: number;
    accept: (sheetName: string, context: WorksheetContext) => boolean;
    visit: WorksheetVisitor<T>;
  },
): AsyncGenerator<T, void> {
  const { input, isOverLimit, readError, close } = countedInput(path, options.maxBytes);
  const reader = new excel.stream.xlsx.WorkbookReader(input, STREAM_READER_OPTIONS);
  const meta = reader as unknown as StreamedWorkbook;
  const sheets = reader[Symbol.asyncIterator]();

  const translate = (err: unknown): unknown => {
    if (isOverLimit()) return importFileErrors.tooLarge(options.maxBytes + 1, options.maxBytes);
    const failure = readError();
    if (failure) return failure;
    if (err instanceof AppError) return err;
    const detail = err instanceof Error ? err.message.slice(0, 200) : String(err);
    return importFileErrors.corrupt('工作表内容无法解析', `the workbook could not be parsed: ${detail}`);
  };

  try {
    for (;;) {
      let next: IteratorResult<ExcelJS.stream.xlsx.WorksheetReader>;
      try {
        next = await sheets.next();
      } catch (err) {
        throw translate(err);
      }
      if (next.done) return;
      const raw = next.value as unknown as RawWorksheetReader;
      const context: WorksheetContext = { order: meta.model?.sheets ?? [], date1904: meta.properties?.model?.date1904 === true };
      if (!options.accept(raw.name, context)) {
        discardWorksheet(raw);
        continue;
      }
      const sheet: StreamedSheet = {
        name: raw.name,
        get columns() {
          return raw.columns ?? null;
        },
        async *rows() {
          try {
            for await (const row of raw) yield row;
          } catch (err) {
            throw translate(err);
          }
        },
      };
      try {
        const visiting = options.visit(sheet, context);
        if (visiting instanceof Promise) await visiting;
        else yield* visiting;
      } finally {
        discardWorksheet(raw);
      }
    }
  } finally {
    await drain(sheets);
    close();
  }
}

/** Runs `streamWorksheets` to the end, for visitors that only do work (count, copy) and yield nothing. */
export async function forEachWorksheet(
  path: string,
  options: { maxBytes: number; accept: (sheetName: string, context: WorksheetContext) => boolean; visit: WorksheetVisitor<never> },
): Promise<void> {
  for await (const _ of streamWorksheets<never>(path, options)) {
    // nothing is yielded
  }
}

/**
 * Streams only the sheet a selector designates (see `resolveSheetName`); `visit` runs at most once.
 * Throws `sheet_not_found` when the workbook has no such sheet.
 */
export async function* streamSelectedWorksheet<T>(
  path: string,
  options: {
    maxBytes: number;
    sheet: string | number | undefined;
    visit: WorksheetVisitor<T>;
  },
): AsyncGenerator<T, void> {
  let target: string | undefined;
  let found = false;
  const seen: string[] = [];
  yield* streamWorksheets(path, {
    maxBytes: options.maxBytes,
    accept: (name, { order }) => {
      seen.push(name);
      if (found) return false;
      // Without a sheet list (workbook.xml unreadable), the first sheet streamed is sheet 0.
      if (order.length === 0) found = options.sheet === undefined || options.sheet === 0;
      else found = name === (target ??= resolveSheetName(order, options.sheet));
      return found;
    },
    visit: options.visit,
  });
  if (!found) throw importFileErrors.sheetNotFound(options.sheet ?? 0, seen);
}
