/**
 * The part of an import dry run that needs neither the database nor the encryption key: reading
 * the upload's rows, checking each (import-row.ts) and computing the blind indexes of its ID
 * number and phone (with the MAC key alone), in chunks. Runs in the main thread for small files
 * and on the reading thread (import-read.worker.ts) for large ones, so this module loads only what
 * reading and checking need.
 */
import { createBlindIndexer } from '../../../lib/crypto.ts';
import { AppError, type ErrorCode } from '../../../lib/errors.ts';
import { ImportFileError, type ImportFileErrorDetails } from '../../../lib/excel/errors.ts';
import type { HeaderDetection } from '../../../lib/excel/header-map.ts';
import { readRows } from '../../../lib/excel/read-sheet.ts';
import { isTemplateExampleRow } from '../../../lib/excel/template.ts';
import { WORKER_IMPORT_COLUMNS, WORKER_IMPORT_HEADER } from './import-columns.ts';
import { ID_NUMBER_PURPOSE, PHONE_PURPOSE } from '../workers.blind-index.ts';
import { checkImportRow, createPlacementResolver, type PlacementOrg, type RowCheck } from './import-row.ts';

/** What the reading thread is given (workerData): the file, the sheet, the limits and the places. */
export interface ReadRequest {
  path: string;
  fileName: string;
  sheet: string | number | undefined;
  maxRows: number;
  chunkRows: number;
  /** `YYYY-MM-DD`, for the "not later than today" checks. */
  today: string;
  target: PlacementOrg;
  orgs: PlacementOrg[];
  /** The blind-index key (`DataCipher.blindIndexKey`): it makes equality tokens, it cannot decrypt. */
  blindIndexKey: Uint8Array;
}

/** One data row, checked without the database, with the blind indexes of its ID number and phone. */
export interface CheckedResultRow {
  rowNumber: number;
  check: RowCheck;
  /** Blind index of the row's ID number when that is valid (also on failed rows, for duplicates). */
  idNumberHash: string | null;
  /** Blind index of the phone of a row that passed, when it has one. */
  phoneHash: string | null;
}

export type SerialisedError =
  | { kind: 'file'; problem: ImportFileError['problem']; message: string; messageEn: string; details: ImportFileErrorDetails }
  | { kind: 'app'; code: ErrorCode; message: string; messageEn: string; details: unknown }
  | { kind: 'other'; message: string; stack: string | undefined };

export type ToMain =
  | { type: 'header'; header: HeaderDetection }
  | { type: 'rows'; rows: CheckedResultRow[] }
  | { type: 'done'; sheetName: string }
  | { type: 'error'; error: SerialisedError };

export type ToReader = { type: 'taken' };

export function serialiseError(err: unknown): SerialisedError {
  if (err instanceof ImportFileError) {
    return { kind: 'file', problem: err.problem, message: err.message, messageEn: err.messageEn, details: err.details };
  }
  if (err instanceof AppError) return { kind: 'app', code: err.code, message: err.message, messageEn: err.messageEn, details: err.details };
  return { kind: 'other', message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined };
}

/**
 * Reads the upload's data rows (blank rows and the template's example row left out) and checks
 * each without the database; yields them in file order in chunks of `chunkRows` and returns the
 * sheet read. `onHeader` is called before the first chunk. Runs in the calling thread.
 */
export async function* checkRows(
  request: ReadRequest,
  onHeader: (header: HeaderDetection) => void,
): AsyncGenerator<CheckedResultRow[], { sheetName: string }> {
  const placement = createPlacementResolver(request.target, request.orgs);
  const indexer = createBlindIndexer(request.blindIndexKey);
  const rows = readRows(request.path, {
    ...WORKER_IMPORT_HEADER,
    sheet: request.sheet,
    fileName: request.fileName,
    maxRows: request.maxRows,
    onHeader,
  });
  let chunk: CheckedResultRow[] = [];
  for (;;) {
    const next = await rows.next();
    if (next.done) {
      if (chunk.length > 0) yield chunk;
      return { sheetName: next.value.sheetName };
    }
    const row = next.value;
    if (row.isBlank || isTemplateExampleRow(row.cells, WORKER_IMPORT_COLUMNS)) continue;
    const check = checkImportRow(row, placement, request.today);
    const id = check.ok ? check.row.id : check.id;
    const phone = check.ok ? check.row.phone : null;
    chunk.push({
      rowNumber: row.rowNumber,
      check,
      idNumberHash: id ? indexer.blindIndex(ID_NUMBER_PURPOSE, id.value) : null,
      phoneHash: phone ? indexer.blindIndex(PHONE_PURPOSE, phone) : null,
    });
    if (chunk.length >= request.chunkRows) {
      yield chunk;
      chunk = [];
    }
  }
}
