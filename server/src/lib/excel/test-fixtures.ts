/**
 * Builders for the spreadsheet tests: workbooks made with exceljs in a temp directory, and
 * hand-made ZIP packages for the hostile cases. No binary fixture is ever committed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { crc32, deflateRawSync } from 'node:zlib';
import type ExcelJS from 'exceljs';
import { excel } from './exceljs.ts';

/** A temporary directory for one test file; `file(name)` gives a path inside it. */
export async function createTempDir(): Promise<{ dir: string; file: (name: string) => string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'shegong-excel-'));
  return { dir, file: (name) => join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface FixtureSheet {
  name: string;
  rows: ExcelJS.CellValue[][];
  /** Ranges to merge, e.g. 'A1:E1'. */
  merges?: string[];
  state?: 'visible' | 'hidden';
  /** Number formats by 1-based column, e.g. { 3: 'yyyy-mm-dd' }. */
  numFmts?: Record<number, string>;
}

/** Writes a workbook with the given sheets (rows start at row 1; `[]` is a blank row). */
export async function writeWorkbook(path: string, sheets: FixtureSheet[]): Promise<void> {
  const workbook = new excel.Workbook();
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, spec.state ? { state: spec.state } : {});
    spec.rows.forEach((values, i) => {
      const row = sheet.getRow(i + 1);
      values.forEach((value, c) => {
        if (value !== null && value !== undefined) row.getCell(c + 1).value = value;
      });
    });
    for (const [column, numFmt] of Object.entries(spec.numFmts ?? {})) sheet.getColumn(Number(column)).numFmt = numFmt;
    for (const range of spec.merges ?? []) sheet.mergeCells(range);
  }
  await workbook.xlsx.writeFile(path);
}

export interface ZipFixtureEntry {
  name: string;
  data: Buffer;
  /** 8 = deflate (default), 0 = stored. */
  method?: 0 | 8;
  /** Lie about the uncompressed size (in both headers). */
  declaredSize?: number;
}

/** A minimal ZIP written by hand: local headers, data, central directory, end record. */
export function buildZip(entries: ZipFixtureEntry[], options: { prefix?: Buffer } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = options.prefix?.length ?? 0;
  for (const entry of entries) {
    const method = entry.method ?? 8;
    const body = method === 8 ? deflateRawSync(entry.data) : entry.data;
    const name = Buffer.from(entry.name, 'utf8');
    const size = entry.declaredSize ?? entry.data.length;
    const crc = crc32(entry.data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...(options.prefix ? [options.prefix] : []), ...locals, centralDirectory, end]);
}

/** The smallest entries an .xlsx needs to pass the package checks (not a readable workbook). */
export function xlsxSkeleton(): ZipFixtureEntry[] {
  return [
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0"?><workbook/>') },
  ];
}

/** An OLE2 compound-file header followed by a directory naming the given streams (UTF-16LE). */
export function oleFile(streamNames: string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  const directory = Buffer.alloc(512);
  streamNames.forEach((name, i) => Buffer.from(`${name}\0`, 'utf16le').copy(directory, i * 128));
  return Buffer.concat([header, directory, Buffer.alloc(1024)]);
}

/** GBK bytes of a few characters (Node can decode GBK but not encode it). */
export const GBK = {
  姓名: 'D0D5C3FB',
  身份证号: 'C9EDB7DDD6A4BAC5',
  入职日期: 'C8EBD6B0C8D5C6DA',
  张三: 'D5C5C8FD',
  李四: 'C0EECBC4',
  男: 'C4D0',
  女: 'C5AE',
} as const;

/** Builds GBK bytes from pieces: GBK hex of known characters, or plain ASCII strings. */
export function gbkBytes(...pieces: ({ gbk: keyof typeof GBK } | string)[]): Buffer {
  return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'ascii') : Buffer.from(GBK[p.gbk], 'hex'))));
}

/** A function that forces a full garbage collection (V8's, made reachable without --expose-gc). */
export function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
