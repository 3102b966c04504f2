import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSpreadsheetKind, detectTextEncoding, getReadableSpreadsheetOrThrow } from './detect-file.ts';
import { ImportFileError } from './errors.ts';
import { buildZip, createTempDir, gbkBytes, oleFile, writeWorkbook, xlsxSkeleton } from './test-fixtures.ts';

let tmp: Awaited<ReturnType<typeof createTempDir>>;
beforeAll(async () => {
  tmp = await createTempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('detectSpreadsheetKind', () => {
  it('recognises an .xlsx by its ZIP signature', async () => {
    const path = tmp.file('real.xlsx');
    await writeWorkbook(path, [{ name: 'Sheet1', rows: [['姓名']] }]);
    const { readFileHead } = await import('./detect-file.ts');
    expect(detectSpreadsheetKind(await readFileHead(path), 'real.xlsx')).toBe('xlsx');
    expect(detectSpreadsheetKind(buildZip(xlsxSkeleton()))).toBe('xlsx');
  });

  it('tells a legacy .xls from a password-protected .xlsx (both OLE2)', () => {
    expect(detectSpreadsheetKind(oleFile(['Root Entry', 'Workbook', '\u0005SummaryInformation']), 'a.xls')).toBe('xls');
    expect(detectSpreadsheetKind(oleFile(['Root Entry', 'Book']))).toBe('xls');
    expect(detectSpreadsheetKind(oleFile(['Root Entry', 'EncryptionInfo', 'EncryptedPackage']), 'a.xlsx')).toBe('encrypted-ole');
    // The name never wins over the bytes when the directory is visible.
    expect(detectSpreadsheetKind(oleFile(['Root Entry', 'EncryptedPackage']), 'renamed.xls')).toBe('encrypted-ole');
    expect(detectSpreadsheetKind(oleFile(['Root Entry', 'WordDocument']), 'a.xls')).toBe('unknown');
  });

  it('recognises CSV in UTF-8 with and without BOM, in GBK, and tab-separated', () => {
    expect(detectSpreadsheetKind(Buffer.from('\uFEFF姓名,身份证号\n张三,1\n'))).toBe('csv');
    expect(detectSpreadsheetKind(Buffer.from('姓名,身份证号\n'))).toBe('csv');
    expect(detectSpreadsheetKind(Buffer.from('姓名\t身份证号\n'))).toBe('csv');
    expect(detectSpreadsheetKind(gbkBytes({ gbk: '姓名' }, ',', { gbk: '身份证号' }, '\r\n', { gbk: '张三' }, ',1\r\n'))).toBe('csv');
  });

  it('detects a CSV renamed to .xlsx as csv', () => {
    expect(detectSpreadsheetKind(Buffer.from('姓名,身份证号\n张三,1\n'), 'roster.xlsx')).toBe('csv');
  });

  it('accepts a one-column text file only when it is named .csv', () => {
    expect(detectSpreadsheetKind(Buffer.from('姓名\n张三\n'), 'a.csv')).toBe('csv');
    expect(detectSpreadsheetKind(Buffer.from('姓名\n张三\n'), 'a.xlsx')).toBe('unknown');
  });

  it('calls binary junk, PDFs and empty input unknown', () => {
    expect(detectSpreadsheetKind(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x00, 0x01, 0x02]))).toBe('unknown');
    expect(detectSpreadsheetKind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toBe('unknown');
    expect(detectSpreadsheetKind(Buffer.alloc(0))).toBe('unknown');
  });

  it('survives a head cut in the middle of a multi-byte character', () => {
    const bytes = Buffer.from('姓名,身份证号\n张三,1\n');
    expect(detectSpreadsheetKind(bytes.subarray(0, bytes.length - 3 - 1))).toBe('csv');
    expect(detectTextEncoding(Buffer.from('姓名,身份', 'utf8').subarray(0, 11))).toBe('utf-8');
  });
});

describe('getReadableSpreadsheetOrThrow', () => {
  async function problemOf(name: string, content: Buffer, options: { maxBytes?: number } = {}): Promise<string | undefined> {
    const path = tmp.file(name);
    await writeFile(path, content);
    try {
      await getReadableSpreadsheetOrThrow(path, options);
      return undefined;
    } catch (err) {
      expect(err).toBeInstanceOf(ImportFileError);
      return (err as ImportFileError).problem;
    }
  }

  it('refuses empty files, whitespace-only files, legacy .xls, encrypted files and unknown formats', async () => {
    expect(await problemOf('empty.xlsx', Buffer.alloc(0))).toBe('empty');
    expect(await problemOf('blank.csv', Buffer.from('\uFEFF \r\n\r\n'))).toBe('empty');
    expect(await problemOf('old.xls', oleFile(['Workbook']))).toBe('legacy_xls');
    expect(await problemOf('locked.xlsx', oleFile(['EncryptionInfo', 'EncryptedPackage']))).toBe('encrypted');
    expect(await problemOf('photo.xlsx', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]))).toBe('not_spreadsheet');
  });

  it('refuses files over the size limit before reading them', async () => {
    expect(await problemOf('big.csv', Buffer.from('a,b\n'.repeat(100)), { maxBytes: 100 })).toBe('too_large');
  });

  it('gives Chinese messages with English alongside', async () => {
    const path = tmp.file('old2.xls');
    await writeFile(path, oleFile(['Workbook']));
    const err = await getReadableSpreadsheetOrThrow(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as ImportFileError).message).toContain('请另存为 .xlsx 格式后重新上传');
    expect((err as ImportFileError).messageEn).toContain('save the file as .xlsx');
    expect((err as ImportFileError).code).toBe('VALIDATION_FAILED');
    expect((err as ImportFileError).status).toBe(400);

    await writeFile(path, oleFile(['EncryptionInfo']));
    const locked = await getReadableSpreadsheetOrThrow(path).catch((e: unknown) => e);
    expect((locked as ImportFileError).message).toBe('文件已加密，请取消密码保护后重新上传');
  });
});
