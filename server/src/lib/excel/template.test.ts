import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type ExcelJS from 'exceljs';
import { excel } from './exceljs.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedRow } from './header-map.ts';
import { readRows } from './read-sheet.ts';
import { CODES_SHEET, INSTRUCTIONS_SHEET, buildTemplate, isTemplateExampleRow, type TemplateColumn } from './template.ts';
import { createTempDir } from './test-fixtures.ts';

// 60 street names: far over Excel's 255-character inline list limit.
const STREETS = Array.from({ length: 60 }, (_, i) => `第${i + 1}街道办事处`);
const COLUMNS: TemplateColumn[] = [
  { key: 'name', header: '姓名', required: true, example: '张三' },
  { key: 'idNumber', header: '身份证号', required: true, format: 'text', example: '11010519491231002X', note: '18位，末位可为X' },
  { key: 'gender', header: '性别', required: false, allowed: ['男', '女'], example: '男' },
  { key: 'street', header: '所属街道', required: true, allowed: STREETS, example: '第1街道办事处' },
  { key: 'hiredOn', header: '入职日期', required: false, format: 'date', example: '2024-03-01' },
];
const INSTRUCTIONS = ['带 * 的列为必填项', '日期请写成 2024-03-01 的形式', '请勿修改表头'];

let tmp: Awaited<ReturnType<typeof createTempDir>>;
let path: string;
let book: ExcelJS.Workbook;

beforeAll(async () => {
  tmp = await createTempDir();
  path = tmp.file('template.xlsx');
  await buildTemplate(path, COLUMNS, INSTRUCTIONS);
  book = new excel.Workbook();
  await book.xlsx.readFile(path);
});
afterAll(async () => {
  await tmp.cleanup();
});

type Validations = { dataValidations: { model: Record<string, ExcelJS.DataValidation | undefined> } };

describe('buildTemplate', () => {
  it('writes bold headers, required ones with * in red, and freezes the header row', () => {
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('数据');
    expect(sheet.getRow(1).values).toEqual([undefined, '*姓名', '*身份证号', '性别', '*所属街道', '入职日期']);
    expect(sheet.getCell('A1').font).toMatchObject({ bold: true, color: { argb: 'FFFF0000' } });
    expect(sheet.getCell('C1').font).toMatchObject({ bold: true });
    expect(sheet.getCell('C1').font?.color).toBeUndefined();
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(2).numFmt).toBe('@');
  });

  it('puts the example in row 2 in grey italic', () => {
    const sheet = book.worksheets[0]!;
    expect(sheet.getCell('A2').value).toBe('张三');
    expect(sheet.getCell('A2').font).toMatchObject({ italic: true, color: { argb: 'FF808080' } });
  });

  it('adds drop-downs on rows 2..10001: inline for short lists, a hidden 代码表 range for long ones', () => {
    const sheet = book.worksheets[0]! as unknown as Validations & ExcelJS.Worksheet;
    const model = sheet.dataValidations.model;
    expect(model['C2']).toMatchObject({ type: 'list', formulae: ['"男,女"'], allowBlank: true });
    expect(model['C10001']).toMatchObject({ type: 'list' });
    expect(model['C10002']).toBeUndefined();
    expect(model['A2']).toBeUndefined();
    expect(model['D2']).toMatchObject({ type: 'list', formulae: [`'${CODES_SHEET}'!$A$2:$A$61`] });

    const codes = book.getWorksheet(CODES_SHEET)!;
    expect(codes.state).toBe('hidden');
    expect(codes.getCell('A2').value).toBe('第1街道办事处');
    expect(codes.getCell('A61').value).toBe('第60街道办事处');
  });

  it('writes the instructions and a column guide on 填写说明', () => {
    const guide = book.getWorksheet(INSTRUCTIONS_SHEET)!;
    expect(guide.getCell('A1').value).toBe(INSTRUCTIONS_SHEET);
    expect(guide.getCell('A2').value).toBe('1. 带 * 的列为必填项');
    expect(guide.getCell('A4').value).toBe('3. 请勿修改表头');
    const texts: string[] = [];
    guide.eachRow((row) => texts.push(row.values.toString()));
    expect(texts.some((t) => t.includes('性别') && t.includes('可选值：男、女'))).toBe(true);
  });

  it('reads back through readRows, with the example row recognisable', async () => {
    const rows: ParsedRow[] = [];
    for await (const row of readRows(path, {
      headerSynonyms: { name: ['姓名'], idNumber: ['身份证号'], gender: ['性别'], street: ['所属街道'], hiredOn: ['入职日期'] },
      requiredKeys: ['name', 'idNumber', 'street'],
    })) {
      rows.push(row);
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]?.rowNumber).toBe(2);
    expect(isTemplateExampleRow(rows[0]!.cells, COLUMNS)).toBe(true);
    expect(isTemplateExampleRow({ ...rows[0]!.cells, name: '李四' }, COLUMNS)).toBe(false);
  });

  it('writes to a stream as well', async () => {
    const streamed = tmp.file('streamed.xlsx');
    const out = createWriteStream(streamed);
    await buildTemplate(out, COLUMNS.slice(0, 2), ['说明']);
    out.end();
    await finished(out);
    const copy = new excel.Workbook();
    await copy.xlsx.readFile(streamed);
    expect(copy.worksheets.map((w) => w.name)).toEqual(['数据', INSTRUCTIONS_SHEET]);
  });
});
