/**
 * What an uploaded file really is, judged by its bytes rather than its name: people rename CSV
 * exports to .xlsx, keep 1997-era .xls files, and password-protect workbooks (which turns an .xlsx
 * into an OLE2 compound file that looks like an .xls from the outside).
 */
import { open, stat } from 'node:fs/promises';
import { importFileErrors } from './errors.ts';

/** What a file is by its bytes; only `xlsx` and `csv` can be read. */
export type SpreadsheetKind = 'xlsx' | 'csv' | 'xls' | 'encrypted-ole' | 'unknown';
/** Text encodings the CSV reader understands. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'gbk';

/** How many leading bytes detection looks at. */
export const HEAD_BYTES = 64 * 1024;

/** Default upper bound on the size of an uploaded file. */
export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

const ZIP_LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function utf16(name: string): Buffer {
  return Buffer.from(name, 'utf16le');
}

// OLE2 directory entries hold stream names in UTF-16LE. An encrypted OOXML package (ECMA-376 Agile
// or Standard encryption) has EncryptionInfo + EncryptedPackage; BIFF8 .xls has Workbook, BIFF5 Book.
const ENCRYPTED_STREAMS = [utf16('EncryptionInfo'), utf16('EncryptedPackage')];
const XLS_STREAMS = [utf16('Workbook'), utf16('Book')];
const OTHER_OFFICE_STREAMS = [utf16('WordDocument'), utf16('PowerPoint Document')];

function decodes(head: Buffer, encoding: TextEncoding, maxTrim: number): string | null {
  // The head may end in the middle of a multi-byte character; allow dropping a few trailing bytes.
  for (let trim = 0; trim <= maxTrim && trim < head.length; trim++) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(head.subarray(0, head.length - trim));
    } catch {
      // try with one byte fewer
    }
  }
  return null;
}

function looksLikeText(text: string): boolean {
  // Binary formats are full of C0 control characters; text has only tab, CR, LF (and form feed).
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text);
}

/**
 * The text encoding of a CSV/TXT file from its first bytes: UTF-8 (with or without BOM), UTF-16LE
 * with BOM (Excel's "Unicode text"), else GBK (what Chinese Windows Excel writes for "CSV"), or
 * null when the bytes do not look like text in any of them.
 */
export function detectTextEncoding(head: Buffer): TextEncoding | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
    const text = decodes(head.subarray(2), 'utf-16le', 1);
    return text !== null && looksLikeText(text) ? 'utf-16le' : null;
  }
  const utf8 = decodes(head, 'utf-8', 3);
  if (utf8 !== null) return looksLikeText(utf8) ? 'utf-8' : null;
  const gbk = decodes(head, 'gbk', 1);
  if (gbk !== null && looksLikeText(gbk)) return 'gbk';
  return null;
}

/** Decodes the head of a text file for sniffing (BOM removed, a cut trailing character dropped). */
export function decodeHead(head: Buffer, encoding: TextEncoding): string {
  const body = encoding === 'utf-16le' && head[0] === 0xff && head[1] === 0xfe ? head.subarray(2) : head;
  const maxTrim = encoding === 'utf-8' ? 3 : 1;
  return decodes(body, encoding, maxTrim)?.replace(/^\uFEFF/, '') ?? '';
}

function hasCsvExtension(fileName: string | undefined): boolean {
  return fileName !== undefined && /\.(csv|tsv|txt)$/i.test(fileName);
}

/**
 * Classifies a file by its first bytes (pass at least the first 64 KiB; fewer for small files):
 * ZIP → `xlsx` (whether it really is a workbook is for `inspectZip`), OLE2 → `encrypted-ole` when the
 * EncryptionInfo/EncryptedPackage streams are named in the head, else `xls` (`unknown` for Word or
 * PowerPoint); text in UTF-8/UTF-16LE/GBK with commas or tabs → `csv` (a single-column text file
 * counts only when `fileName` ends in .csv/.tsv/.txt). The file name never overrides the bytes,
 * except that an OLE2 file named .xlsx whose directory lies beyond the head is taken as encrypted.
 */
export function detectSpreadsheetKind(head: Buffer, fileName?: string): SpreadsheetKind {
  if (head.length === 0) return 'unknown';
  if (head.subarray(0, 4).equals(ZIP_LOCAL)) return 'xlsx';
  if (head.subarray(0, 8).equals(OLE2)) {
    const window = head.subarray(0, HEAD_BYTES);
    if (ENCRYPTED_STREAMS.some((name) => window.includes(name))) return 'encrypted-ole';
    if (XLS_STREAMS.some((name) => window.includes(name))) return 'xls';
    if (OTHER_OFFICE_STREAMS.some((name) => window.includes(name))) return 'unknown';
    return fileName !== undefined && /\.xlsx$/i.test(fileName) ? 'encrypted-ole' : 'xls';
  }
  const encoding = detectTextEncoding(head.subarray(0, HEAD_BYTES));
  if (encoding === null) return 'unknown';
  const text = decodeHead(head.subarray(0, HEAD_BYTES), encoding);
  if (text.trim() === '') return 'unknown';
  if (/[,\t]/.test(text) || hasCsvExtension(fileName)) return 'csv';
  return 'unknown';
}

/** Reads up to `bytes` leading bytes of a file. */
export async function readFileHead(path: string, bytes = HEAD_BYTES): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** An upload that passed the pre-checks: its kind, size and first bytes. */
export interface ReadableSpreadsheet {
  kind: 'xlsx' | 'csv';
  size: number;
  head: Buffer;
}

/**
 * Checks an uploaded file before any parsing: not empty, within `maxBytes`, and an .xlsx or CSV;
 * throws the matching ImportFileError otherwise (legacy .xls, encrypted, unknown format).
 */
export async function getReadableSpreadsheetOrThrow(
  path: string,
  options: { fileName?: string; maxBytes?: number } = {},
): Promise<ReadableSpreadsheet> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { size } = await stat(path);
  if (size === 0) throw importFileErrors.empty();
  if (size > maxBytes) throw importFileErrors.tooLarge(size, maxBytes);
  const head = await readFileHead(path);
  const encoding = size <= HEAD_BYTES ? detectTextEncoding(head) : null;
  if (encoding !== null && decodeHead(head, encoding).trim() === '') throw importFileErrors.empty();
  const kind = detectSpreadsheetKind(head, options.fileName ?? path);
  switch (kind) {
    case 'xlsx':
    case 'csv':
      return { kind, size, head };
    case 'xls':
      throw importFileErrors.legacyXls();
    case 'encrypted-ole':
      throw importFileErrors.encrypted();
    default:
      throw importFileErrors.notSpreadsheet();
  }
}
