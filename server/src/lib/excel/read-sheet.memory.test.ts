/**
 * The reader must stream: 100,000 rows read (and marked) with a flat heap. Heap figures are
 * asserted loosely (no timing assertions); both are printed for the record.
 */
import { stat } from 'node:fs/promises';
import { excel } from './exceljs.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMarkedCopy, type RowIssue } from './mark-errors.ts';
import { readRows } from './read-sheet.ts';
import { createTempDir, exposeGc } from './test-fixtures.ts';

const ROWS = 100_000;
const MB = 1024 * 1024;
/** What the reader may hold on to (after forced GCs); loading this file as a whole Workbook retains ~270 MB. */
const HEAP_GROWTH_LIMIT = 150 * MB;
/**
 * Heap as seen without forcing GC, garbage included: depends on when V8 collects (more under CPU
 * contention), so the bound is looser; loading the whole workbook would still exceed it.
 */
const UNFORCED_HEAP_GROWTH_LIMIT = 250 * MB;

let tmp: Awaited<ReturnType<typeof createTempDir>>;
let path: string;
const gc = exposeGc();

function heapNow(): number {
  // Twice: the first full GC can leave garbage that only a second one compacts away.
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Samples the heap while work runs: `retained` after forced GCs every second (what the work
 * really holds on to), `unforced` every 50 ms as the process sees it (garbage included).
 */
async function sampleHeap(): Promise<{ stop: () => { retained: number; unforced: number } }> {
  // Let streams and handles from earlier work close before taking the baseline.
  await new Promise((resolve) => setTimeout(resolve, 200));
  heapNow();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const base = heapNow();
  let retained = 0;
  let unforced = 0;
  const fast = setInterval(() => (unforced = Math.max(unforced, process.memoryUsage().heapUsed - base)), 50);
  const slow = setInterval(() => (retained = Math.max(retained, heapNow() - base)), 1000);
  return {
    stop() {
      clearInterval(fast);
      clearInterval(slow);
      return { retained: Math.max(retained, heapNow() - base), unforced };
    },
  };
}

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

beforeAll(async () => {
  tmp = await createTempDir();
  path = tmp.file('100k.xlsx');
  // Shared strings and a date column, as Excel itself writes them.
  const writer = new excel.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const sheet = writer.addWorksheet('花名册');
  sheet.getColumn(5).numFmt = 'yyyy-mm-dd';
  sheet.addRow(['XX街道社区工作者花名册']).commit();
  sheet.addRow(['序号', '姓名', '身份证号', '性别', '入职日期', '联系电话', '所在社区', '岗位']).commit();
  for (let i = 1; i <= ROWS; i++) {
    const id = `110105${1960 + (i % 40)}0101${String(i % 1000).padStart(3, '0')}X`;
    const hired = new Date(Date.UTC(2000 + (i % 24), i % 12, 1 + (i % 28)));
    sheet
      .addRow([i, `工作者${i}`, id, i % 2 ? '男' : '女', hired, `138${String(i).padStart(8, '0')}`, `第${i % 50}社区`, '社区专职工作者'])
      .commit();
  }
  sheet.commit();
  await writer.commit();
}, 180_000);

afterAll(async () => {
  await tmp.cleanup();
});

describe('streaming 100k rows', () => {
  it('reads every row with a flat heap', async () => {
    let count = 0;
    let lastRow = 0;
    const sampler = await sampleHeap();
    const started = performance.now();
    for await (const row of readRows(path, {
      headerSynonyms: { name: ['姓名'], idNumber: ['身份证号'], gender: ['性别'], hiredOn: ['入职日期'], phone: ['联系电话'] },
      requiredKeys: ['name', 'idNumber'],
    })) {
      count += 1;
      lastRow = row.rowNumber;
      if (count === 50_000) expect(row.cells.hiredOn).toBeInstanceOf(Date);
    }
    const seconds = (performance.now() - started) / 1000;
    const heap = sampler.stop();
    const fileSize = (await stat(path)).size;
    console.log(
      `read ${count} rows of a ${mb(fileSize)} .xlsx in ${seconds.toFixed(1)} s; heap growth: retained ${mb(heap.retained)}, unforced peak ${mb(heap.unforced)}`,
    );
    expect(count).toBe(ROWS);
    expect(lastRow).toBe(ROWS + 2);
    expect(heap.retained).toBeLessThan(HEAP_GROWTH_LIMIT);
    expect(heap.unforced).toBeLessThan(UNFORCED_HEAP_GROWTH_LIMIT);
  }, 300_000);

  it('writes a marked copy of 100k rows with a flat heap', async () => {
    const issues: RowIssue[] = [];
    for (let row = 3; row < ROWS + 3; row += 50) issues.push({ rowNumber: row, key: 'idNumber', message: '校验位错误' });
    const sampler = await sampleHeap();
    const started = performance.now();
    const result = await writeMarkedCopy(path, tmp.file('100k-marked.xlsx'), 0, issues, {
      rowNumber: 2,
      columns: { name: 2, idNumber: 3 },
      columnCount: 8,
    });
    const seconds = (performance.now() - started) / 1000;
    const heap = sampler.stop();
    console.log(
      `marked copy of ${ROWS} rows (${issues.length} issues) in ${seconds.toFixed(1)} s; heap growth: retained ${mb(heap.retained)}, unforced peak ${mb(heap.unforced)}`,
    );
    expect(result.markedRows).toBe(issues.length);
    expect(heap.retained).toBeLessThan(HEAP_GROWTH_LIMIT);
    expect(heap.unforced).toBeLessThan(UNFORCED_HEAP_GROWTH_LIMIT);
  }, 300_000);
});
