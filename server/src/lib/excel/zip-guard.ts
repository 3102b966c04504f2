/**
 * Safety checks on an .xlsx (a ZIP package) before any XML is parsed: the central directory is
 * read without extracting anything, and refused when it declares too many entries, too much
 * uncompressed data, a suspicious compression ratio, or unsafe names. `verifyZipEntrySizes` then
 * inflates each entry into a counter (nothing kept) so that a file lying about its sizes is caught
 * before exceljs writes its worksheets to temporary files.
 *
 * The streaming reader (unzipper, inside exceljs) walks local headers front to back, not the central
 * directory, so `inspectZip` also checks that the local headers tile the file exactly as the central
 * directory says: no hidden entries between them, no disagreement on names or sizes.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { importFileErrors } from './errors.ts';

/** Limits on a ZIP package, all checked against the central directory. */
export interface ZipLimits {
  /** Most entries the package may have (default 10,000). */
  maxEntries: number;
  /** Most total declared uncompressed bytes (default 200 MiB). */
  maxUncompressedBytes: number;
  /** Highest uncompressed:compressed ratio of any entry larger than `ratioFloorBytes` (default 200). */
  maxRatio: number;
  /** Entries smaller than this are not ratio-checked: a few KB of repetitive XML is harmless (default 1 MiB). */
  ratioFloorBytes: number;
  /** Entries that must be present (default: those of an .xlsx workbook); `[]` for any ZIP. */
  requiredEntries: readonly string[];
}

/** Entries without which a ZIP is not an .xlsx workbook. */
export const XLSX_REQUIRED_ENTRIES = ['[Content_Types].xml', 'xl/workbook.xml'] as const;

/** Generous for any real roster (a 100k-row sheet expands to ~40 MB), small for a bomb. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  requiredEntries: XLSX_REQUIRED_ENTRIES,
};

/** One entry of the central directory. */
export interface ZipEntryInfo {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the entry's local header. */
  localHeaderOffset: number;
  /** Offset of the entry's (compressed) data. */
  dataOffset: number;
}

/** What `inspectZip` found: the entries and their declared uncompressed total. */
export interface ZipInspection {
  entries: ZipEntryInfo[];
  totalUncompressed: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const SIG_DESCRIPTOR = 0x08074b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const MAX_CENTRAL_DIRECTORY_BYTES = 32 * 1024 * 1024;

/** Random access to the bytes of a file or a buffer. */
interface ByteSource {
  size: number;
  read(offset: number, length: number): Buffer;
  close(): void;
}

function bufferSource(buffer: Buffer): ByteSource {
  return {
    size: buffer.length,
    read: (offset, length) => buffer.subarray(offset, Math.min(buffer.length, offset + length)),
    close: () => undefined,
  };
}

function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const want = Math.max(0, Math.min(length, size - offset));
      const buffer = Buffer.alloc(want);
      let done = 0;
      while (done < want) {
        const n = readSync(fd, buffer, done, want - done, offset + done);
        if (n === 0) break;
        done += n;
      }
      return buffer.subarray(0, done);
    },
    close: () => closeSync(fd),
  };
}

function corrupt(reason: string, reasonEn: string): Error {
  return importFileErrors.corrupt(reason, reasonEn);
}

function isUnsafeName(name: string): boolean {
  if (name.includes('\0')) return true;
  if (/^[/\\]/.test(name) || /^[a-zA-Z]:/.test(name)) return true;
  return name.split(/[/\\]/).some((segment) => segment === '..');
}

function findEndOfCentralDirectory(source: ByteSource): { offset: number; record: Buffer } {
  if (source.size < EOCD_SIZE) throw corrupt('不是有效的 ZIP 文件', 'not a ZIP file');
  const tailLength = Math.min(source.size, EOCD_SIZE + MAX_COMMENT);
  const tailStart = source.size - tailLength;
  const tail = source.read(tailStart, tailLength);
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + EOCD_SIZE + tail.readUInt16LE(i + 20) <= tail.length) {
      return { offset: tailStart + i, record: tail.subarray(i, i + EOCD_SIZE) };
    }
  }
  throw corrupt('找不到 ZIP 目录', 'no ZIP end-of-central-directory record');
}

function zip64Refusal(): Error {
  return corrupt('使用了 ZIP64 格式，暂不支持', 'ZIP64 archives are not supported');
}

/**
 * Reads the central directory of a ZIP (path or buffer) without extracting anything and throws an
 * ImportFileError (`zip_bomb` for the size limits, `corrupt` for structure, names and ZIP64,
 * `not_spreadsheet` when required entries are missing). Returns the entries and their declared total.
 */
export function inspectZip(file: string | Buffer, limits: Partial<ZipLimits> = {}): ZipInspection {
  const lim: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const source = typeof file === 'string' ? fileSource(file) : bufferSource(file);
  try {
    return inspectSource(source, lim);
  } finally {
    source.close();
  }
}

function inspectSource(source: ByteSource, lim: ZipLimits): ZipInspection {
  if (source.size < 4 || source.read(0, 4).readUInt32LE(0) !== SIG_LOCAL) throw corrupt('不是有效的 ZIP 文件', 'not a ZIP file');
  const { offset: eocdOffset, record } = findEndOfCentralDirectory(source);
  if (eocdOffset >= 20 && source.read(eocdOffset - 20, 4).readUInt32LE(0) === SIG_ZIP64_LOCATOR) throw zip64Refusal();
  const diskNumber = record.readUInt16LE(4);
  const centralDisk = record.readUInt16LE(6);
  const entriesOnDisk = record.readUInt16LE(8);
  const totalEntries = record.readUInt16LE(10);
  const centralSize = record.readUInt32LE(12);
  const centralOffset = record.readUInt32LE(16);
  if (totalEntries === 0xffff || centralSize === 0xffffffff || centralOffset === 0xffffffff) throw zip64Refusal();
  if (diskNumber !== 0 || centralDisk !== 0 || entriesOnDisk !== totalEntries) {
    throw corrupt('分卷压缩文件', 'multi-disk archives are not supported');
  }
  if (totalEntries > lim.maxEntries) {
    throw importFileErrors.zipBomb(
      `包含 ${totalEntries} 个内部文件，上限 ${lim.maxEntries}`,
      `${totalEntries} entries, limit ${lim.maxEntries}`,
    );
  }
  if (centralOffset + centralSize > eocdOffset || centralSize > MAX_CENTRAL_DIRECTORY_BYTES) {
    throw corrupt('ZIP 目录位置异常', 'central directory out of bounds');
  }

  const central = source.read(centralOffset, centralSize);
  const entries: ZipEntryInfo[] = [];
  const names = new Set<string>();
  let totalUncompressed = 0;
  let pos = 0;
  for (let i = 0; i < totalEntries; i++) {
    if (pos + 46 > central.length || central.readUInt32LE(pos) !== SIG_CENTRAL) {
      throw corrupt('ZIP 目录记录损坏', 'central directory entry is malformed');
    }
    const flags = central.readUInt16LE(pos + 8);
    const method = central.readUInt16LE(pos + 10);
    const compressedSize = central.readUInt32LE(pos + 20);
    const uncompressedSize = central.readUInt32LE(pos + 24);
    const nameLength = central.readUInt16LE(pos + 28);
    const extraLength = central.readUInt16LE(pos + 30);
    const commentLength = central.readUInt16LE(pos + 32);
    const localHeaderOffset = central.readUInt32LE(pos + 42);
    if (pos + 46 + nameLength > central.length) throw corrupt('ZIP 目录记录损坏', 'central directory entry is malformed');
    const name = central.toString('utf8', pos + 46, pos + 46 + nameLength);
    pos += 46 + nameLength + extraLength + commentLength;

    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) throw zip64Refusal();
    if (flags & 0x0001) throw importFileErrors.encrypted();
    if (method !== 0 && method !== 8) throw corrupt(`不支持的压缩方式 ${method}`, `unsupported compression method ${method}`);
    if (isUnsafeName(name)) throw corrupt(`内部文件名不安全：${name.slice(0, 60)}`, `unsafe entry name: ${name.slice(0, 60)}`);
    if (names.has(name)) throw corrupt(`内部文件重复：${name.slice(0, 60)}`, `duplicate entry: ${name.slice(0, 60)}`);
    if (method === 0 && compressedSize !== uncompressedSize) throw corrupt('ZIP 目录记录损坏', 'stored entry with mismatched sizes');
    names.add(name);

    totalUncompressed += uncompressedSize;
    if (totalUncompressed > lim.maxUncompressedBytes) {
      throw importFileErrors.zipBomb(
        `解压后超过 ${Math.round(lim.maxUncompressedBytes / 1024 / 1024)} MB`,
        `declared uncompressed size exceeds ${lim.maxUncompressedBytes} bytes`,
      );
    }
    if (uncompressedSize >= lim.ratioFloorBytes && uncompressedSize / Math.max(1, compressedSize) > lim.maxRatio) {
      throw importFileErrors.zipBomb(
        `内部文件 ${name.slice(0, 60)} 压缩比异常`,
        `entry ${name.slice(0, 60)} has compression ratio ${Math.round(uncompressedSize / Math.max(1, compressedSize))}:1 (limit ${lim.maxRatio}:1)`,
      );
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset, dataOffset: -1 });
  }

  const missing = lim.requiredEntries.filter((required) => !names.has(required));
  if (missing.length > 0) throw importFileErrors.notSpreadsheet();

  checkLocalHeadersTile(source, entries, centralOffset);
  return { entries, totalUncompressed };
}

/**
 * Streaming unzip follows local headers from offset 0, so they must line up exactly with the
 * central directory: each entry starts where the previous one (and its data descriptor) ended,
 * with the same name and sizes, and the last one ends where the central directory begins.
 */
function checkLocalHeadersTile(source: ByteSource, entries: ZipEntryInfo[], centralOffset: number): void {
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  let cursor = 0;
  for (const entry of byOffset) {
    if (entry.localHeaderOffset !== cursor) throw corrupt('ZIP 内部结构不一致', `unexpected bytes before entry ${entry.name}`);
    const header = source.read(cursor, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== SIG_LOCAL)
      throw corrupt('ZIP 内部结构不一致', `no local header for ${entry.name}`);
    const flags = header.readUInt16LE(6);
    const method = header.readUInt16LE(8);
    const compressedSize = header.readUInt32LE(18);
    const uncompressedSize = header.readUInt32LE(22);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const name = source.read(cursor + 30, nameLength).toString('utf8');
    if (name !== entry.name || method !== entry.method) throw corrupt('ZIP 内部结构不一致', `local header disagrees for ${entry.name}`);
    const hasDescriptor = (flags & 0x0008) !== 0;
    if (!hasDescriptor && (compressedSize !== entry.compressedSize || uncompressedSize !== entry.uncompressedSize)) {
      throw corrupt('ZIP 内部结构不一致', `local sizes disagree for ${entry.name}`);
    }
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff) throw zip64Refusal();
    entry.dataOffset = cursor + 30 + nameLength + extraLength;
    cursor = entry.dataOffset + entry.compressedSize;
    if (hasDescriptor) {
      const descriptor = source.read(cursor, 16);
      const signed = descriptor.length >= 4 && descriptor.readUInt32LE(0) === SIG_DESCRIPTOR;
      const at = signed ? 4 : 0;
      if (descriptor.length < at + 12) throw corrupt('ZIP 内部结构不一致', `truncated data descriptor for ${entry.name}`);
      if (descriptor.readUInt32LE(at + 4) !== entry.compressedSize || descriptor.readUInt32LE(at + 8) !== entry.uncompressedSize) {
        throw corrupt('ZIP 内部结构不一致', `data descriptor disagrees for ${entry.name}`);
      }
      cursor += at + 12;
    }
  }
  if (cursor !== centralOffset) throw corrupt('ZIP 内部结构不一致', 'unexpected bytes before the central directory');
}

class SizeExceeded extends Error {}

/** A sink that discards what it is given and fails once more than `limit` bytes arrived. */
function byteCounter(limit: number): Writable {
  let seen = 0;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > limit ? new SizeExceeded() : null);
    },
  });
}

/**
 * Inflates every entry into a byte counter (nothing is kept) and throws `zip_bomb` when any
 * entry produces more bytes than its header declared — the declared sizes already passed
 * `inspectZip`, so after this the package is known to expand within the limits. `corrupt` when
 * an entry does not inflate.
 */
export async function verifyZipEntrySizes(file: string | Buffer, inspection: ZipInspection): Promise<void> {
  for (const entry of inspection.entries) {
    if (entry.compressedSize === 0) continue;
    const compressed: Readable =
      typeof file === 'string'
        ? createReadStream(file, { start: entry.dataOffset, end: entry.dataOffset + entry.compressedSize - 1 })
        : Readable.from([file.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize)]);
    const counter = byteCounter(entry.uncompressedSize);
    try {
      if (entry.method === 8) await pipeline(compressed, createInflateRaw(), counter);
      else await pipeline(compressed, counter);
    } catch (err) {
      if (err instanceof SizeExceeded) {
        throw importFileErrors.zipBomb(
          `内部文件 ${entry.name.slice(0, 60)} 实际大小超过声明`,
          `entry ${entry.name.slice(0, 60)} inflates beyond its declared ${entry.uncompressedSize} bytes`,
        );
      }
      throw corrupt(`内部文件 ${entry.name.slice(0, 60)} 无法解压`, `entry ${entry.name.slice(0, 60)} does not inflate`);
    }
  }
}

/** `inspectZip` then `verifyZipEntrySizes`: everything to check before streaming an .xlsx. */
export async function guardXlsxPackage(file: string | Buffer, limits: Partial<ZipLimits> = {}): Promise<ZipInspection> {
  const inspection = inspectZip(file, limits);
  await verifyZipEntrySizes(file, inspection);
  return inspection;
}
