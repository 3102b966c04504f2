import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError } from './errors.ts';
import type { ParsedRow } from './header-map.ts';
import { detectCsvFormat, readCsvRecords } from './read-csv.ts';
import { readCsvRows, readRows, type ReadRowsOptions } from './read-sheet.ts';
import { createTempDir, gbkBytes } from './test-fixtures.ts';

const OPTIONS: ReadRowsOptions = {
  headerSynonyms: { name: ['姓名'], idNumber: ['身份证号', '身份证'], hiredOn: ['入职日期'], note: ['备注'] },
  requiredKeys: ['name', 'idNumber'],
};
const ID = '11010519491231002X';

let tmp: Awaited<ReturnType<typeof createTempDir>>;
beforeAll(async () => {
  tmp = await createTempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

async function csv(name: string, content: string | Buffer): Promise<string> {
  const path = tmp.file(name);
  await writeFile(path, content);
  return path;
}

async function collect(rows: AsyncIterable<ParsedRow>): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('readCsvRows', () => {
  it('reads UTF-8 with a BOM', async () => {
    const path = await csv('bom.csv', `\uFEFF姓名,身份证号,入职日期\r\n张三,${ID},2024/3/1\r\n`);
    expect(await collect(readCsvRows(path, OPTIONS))).toEqual([
      { rowNumber: 2, cells: { name: '张三', idNumber: ID, hiredOn: '2024/3/1' }, isBlank: false },
    ]);
  });

  it('reads GBK, as Chinese Windows Excel saves "CSV (逗号分隔)"', async () => {
    const bytes = gbkBytes({ gbk: '姓名' }, ',', { gbk: '身份证号' }, '\r\n', { gbk: '张三' }, `,${ID}\r\n`, { gbk: '李四' }, `,${ID}\r\n`);
    expect(detectCsvFormat(bytes)).toEqual({ encoding: 'gbk', delimiter: ',', hasSepLine: false });
    const rows = await collect(readCsvRows(await csv('gbk.csv', bytes), OPTIONS));
    expect(rows.map((r) => r.cells)).toEqual([
      { name: '张三', idNumber: ID },
      { name: '李四', idNumber: ID },
    ]);
  });

  it('handles quoted commas, line breaks and doubled quotes; numbers rows as Excel would', async () => {
    const content = [
      '姓名,身份证号,备注',
      `"张三",${ID},"住址：北京市,朝阳区"`,
      `李四,${ID},"第一行`,
      `第二行"`,
      `"王""五""",${ID},`,
      '',
      `赵六,="${ID}",`,
    ].join('\n');
    const rows = await collect(readCsvRows(await csv('quoted.csv', content), OPTIONS));
    expect(rows).toEqual([
      { rowNumber: 2, cells: { name: '张三', idNumber: ID, note: '住址:北京市,朝阳区' }, isBlank: false },
      { rowNumber: 3, cells: { name: '李四', idNumber: ID, note: '第一行\n第二行' }, isBlank: false },
      { rowNumber: 4, cells: { name: '王"五"', idNumber: ID, note: null }, isBlank: false },
      // ="…" is how Excel users keep long digit strings as text in CSV.
      { rowNumber: 6, cells: { name: '赵六', idNumber: ID, note: null }, isBlank: false },
    ]);
  });

  it('reads tab-separated files and UTF-16LE "Unicode text"', async () => {
    const tsv = `姓名\t身份证号\n张三\t${ID}\n`;
    expect((await collect(readCsvRows(await csv('tabs.txt', tsv), OPTIONS)))[0]?.cells).toEqual({ name: '张三', idNumber: ID });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')]);
    expect((await collect(readCsvRows(await csv('unicode.txt', utf16), OPTIONS)))[0]?.cells).toEqual({ name: '张三', idNumber: ID });
  });

  it('honours an Excel sep= line', async () => {
    const path = await csv('sep.csv', `sep=;\n姓名;身份证号\n张三;${ID}\n`);
    const rows = await collect(readCsvRows(path, OPTIONS));
    expect(rows).toEqual([{ rowNumber: 2, cells: { name: '张三', idNumber: ID }, isBlank: false }]);
  });

  it('parses records the same whatever the chunk boundaries', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `"名,${i}",${ID},"备注""${i}""\r\n第二行"`).join('\r\n');
    const path = await csv('chunks.csv', `姓名,身份证号,备注\r\n${body}\r\n`);
    const rows = await collect(readCsvRows(path, OPTIONS));
    expect(rows).toHaveLength(5000);
    expect(rows[4321]).toEqual({ rowNumber: 4323, cells: { name: '名,4321', idNumber: ID, note: '备注"4321"\n第二行' }, isBlank: false });
  });

  it('applies the header rules and the row limit as for .xlsx', async () => {
    const missing = await csv('missing.csv', '姓名,电话\n张三,1\n');
    await expect(collect(readCsvRows(missing, OPTIONS))).rejects.toMatchObject({
      problem: 'missing_columns',
      message: '缺少必填列：身份证号',
    });
    const many = await csv('many.csv', `姓名,身份证号\n${`张三,${ID}\n`.repeat(11)}`);
    await expect(collect(readCsvRows(many, { ...OPTIONS, maxRows: 10 }))).rejects.toMatchObject({ problem: 'too_many_rows' });
    await expect(collect(readCsvRows(many, { ...OPTIONS, maxBytes: 20 }))).rejects.toMatchObject({ problem: 'too_large' });
  });

  it('is what readRows uses for CSV files, whatever their name', async () => {
    const path = await csv('roster.csv', `\uFEFF姓名,身份证号\n张三,${ID}\n`);
    const gen = readRows(path, OPTIONS);
    const first = await gen.next();
    expect(first.value).toEqual({ rowNumber: 2, cells: { name: '张三', idNumber: ID }, isBlank: false });
    const end = await gen.next();
    expect(end.done).toBe(true);
    expect(end.value).toMatchObject({ sheetName: 'roster', header: { rowNumber: 1, columns: { name: 1, idNumber: 2 } } });
  });

  it('refuses bytes that stop decoding half-way', async () => {
    // Valid UTF-8 in the first 64 KiB, then a stray GBK byte pair.
    const head = Buffer.from(`姓名,身份证号\n${`张三,${ID}\n`.repeat(4000)}`);
    const path = await csv('mixed.csv', Buffer.concat([head, gbkBytes({ gbk: '李四' }, `,${ID}\n`)]));
    const err = await collect(readCsvRows(path, OPTIONS)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as ImportFileError).problem).toBe('unreadable_encoding');
  });

  it('streams raw records with their row numbers', async () => {
    const path = await csv('raw.csv', 'a,b\r\n\r\n"x\ny",z');
    const records = [];
    for await (const r of readCsvRecords(path)) records.push(r);
    expect(records).toEqual([
      { rowNumber: 1, values: [null, 'a', 'b'] },
      { rowNumber: 2, values: [null, null] },
      { rowNumber: 3, values: [null, 'x\ny', 'z'] },
    ]);
  });
});
