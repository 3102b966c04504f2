import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError, type ImportFileProblem } from './errors.ts';
import { readRows } from './read-sheet.ts';
import { buildZip, createTempDir, writeWorkbook, xlsxSkeleton } from './test-fixtures.ts';
import { guardXlsxPackage, inspectZip, verifyZipEntrySizes } from './zip-guard.ts';

let tmp: Awaited<ReturnType<typeof createTempDir>>;
// 50 MB of zeros deflates to about 50 KB: a ratio near 1000:1.
const ZEROS = Buffer.alloc(50 * 1024 * 1024);

beforeAll(async () => {
  tmp = await createTempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

function problemOf(action: () => unknown): ImportFileProblem | undefined {
  try {
    action();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFileError);
    return (err as ImportFileError).problem;
  }
}

async function asyncProblemOf(action: () => Promise<unknown>): Promise<ImportFileProblem | undefined> {
  try {
    await action();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFileError);
    return (err as ImportFileError).problem;
  }
}

describe('inspectZip', () => {
  it('lists the entries of a real workbook with their declared sizes', async () => {
    const path = tmp.file('ok.xlsx');
    await writeWorkbook(path, [
      {
        name: 'Sheet1',
        rows: [
          ['姓名', '身份证号'],
          ['张三', '1'],
        ],
      },
    ]);
    const result = inspectZip(path);
    const names = result.entries.map((e) => e.name);
    expect(names).toContain('[Content_Types].xml');
    expect(names).toContain('xl/workbook.xml');
    expect(names).toContain('xl/worksheets/sheet1.xml');
    expect(result.totalUncompressed).toBe(result.entries.reduce((sum, e) => sum + e.uncompressedSize, 0));
    await expect(guardXlsxPackage(path)).resolves.toBeDefined();
  });

  it('accepts a hand-made package with the required entries, from a buffer or a path', async () => {
    const zip = buildZip(xlsxSkeleton());
    expect(inspectZip(zip).entries).toHaveLength(2);
    const path = tmp.file('skeleton.xlsx');
    await writeFile(path, zip);
    expect(inspectZip(path).entries).toHaveLength(2);
    await verifyZipEntrySizes(path, inspectZip(path));
  });

  it('refuses a zip bomb by its compression ratio', () => {
    const bomb = buildZip([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: ZEROS }]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    let error: unknown;
    try {
      inspectZip(bomb);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as ImportFileError).problem).toBe('zip_bomb');
    expect((error as ImportFileError).message).toContain('压缩比异常');
  });

  it('refuses a package whose declared total is over the limit', () => {
    const zip = buildZip([...xlsxSkeleton(), { name: 'xl/big.xml', data: Buffer.from('x'), declaredSize: 300 * 1024 * 1024, method: 8 }]);
    expect(problemOf(() => inspectZip(zip, { maxRatio: Number.POSITIVE_INFINITY }))).toBe('zip_bomb');
    expect(problemOf(() => inspectZip(buildZip(xlsxSkeleton()), { maxUncompressedBytes: 10 }))).toBe('zip_bomb');
  });

  it('catches an entry that lies about its size while inflating it', async () => {
    // Declares 1 KB so the ratio and total checks pass; really inflates to 50 MB.
    const liar = buildZip([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: ZEROS, declaredSize: 1024 }]);
    const inspection = inspectZip(liar);
    expect(await asyncProblemOf(() => verifyZipEntrySizes(liar, inspection))).toBe('zip_bomb');
    const path = tmp.file('liar.xlsx');
    await writeFile(path, liar);
    expect(await asyncProblemOf(() => guardXlsxPackage(path))).toBe('zip_bomb');
  });

  it('stops readRows on a bomb before exceljs sees it', async () => {
    const path = tmp.file('bomb.xlsx');
    await writeFile(path, buildZip([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: ZEROS }]));
    const rows = readRows(path, { headerSynonyms: { name: ['姓名'] }, requiredKeys: ['name'] });
    expect(await asyncProblemOf(() => rows.next())).toBe('zip_bomb');
  });

  it('refuses too many entries', () => {
    const many = [...xlsxSkeleton(), ...Array.from({ length: 30 }, (_, i) => ({ name: `xl/media/${i}.bin`, data: Buffer.from('x') }))];
    expect(problemOf(() => inspectZip(buildZip(many), { maxEntries: 20 }))).toBe('zip_bomb');
  });

  it('refuses entry names that climb out or are absolute', () => {
    for (const name of ['../evil.xml', 'xl/../../evil.xml', '/etc/passwd', 'C:/evil.xml', 'xl\\..\\evil.xml']) {
      expect(problemOf(() => inspectZip(buildZip([...xlsxSkeleton(), { name, data: Buffer.from('x') }])))).toBe('corrupt');
    }
  });

  it('refuses a ZIP that is not a workbook, and bytes that are not a ZIP', () => {
    expect(problemOf(() => inspectZip(buildZip([{ name: 'word/document.xml', data: Buffer.from('<w/>') }])))).toBe('not_spreadsheet');
    expect(problemOf(() => inspectZip(Buffer.from('姓名,身份证号\n')))).toBe('corrupt');
    const truncated = buildZip(xlsxSkeleton());
    expect(problemOf(() => inspectZip(truncated.subarray(0, truncated.length - 10)))).toBe('corrupt');
  });

  it('refuses ZIP64 with a clear message', () => {
    const zip = buildZip(xlsxSkeleton());
    zip.writeUInt16LE(0xffff, zip.length - 22 + 10);
    let error: unknown;
    try {
      inspectZip(zip);
    } catch (err) {
      error = err;
    }
    expect((error as ImportFileError).problem).toBe('corrupt');
    expect((error as ImportFileError).message).toContain('ZIP64');
  });

  it('refuses local headers that do not line up with the central directory', () => {
    // Bytes smuggled in front of the first entry would be read by a streaming unzip but not by the guard.
    const prefixed = buildZip(xlsxSkeleton(), { prefix: Buffer.from('PK\u0003\u0004junkjunkjunkjunkjunkjunkjunkjunk') });
    expect(problemOf(() => inspectZip(prefixed))).toBe('corrupt');
    const renamed = buildZip(xlsxSkeleton());
    const at = renamed.indexOf('xl/workbook.xml');
    renamed.write('xl/workbook.xmX', at);
    expect(problemOf(() => inspectZip(renamed))).toBe('corrupt');
  });
});
