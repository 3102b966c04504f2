import { writeFile } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { excel } from './exceljs.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeaderDetection } from './header-map.ts';
import { ERROR_COLUMN_HEADER, writeMarkedCopy, type RowIssue } from './mark-errors.ts';
import { readRows } from './read-sheet.ts';
import { createTempDir, writeWorkbook } from './test-fixtures.ts';

const ID = '11010519491231002X';
const SYNONYMS = { name: ['姓名'], idNumber: ['身份证号'], hiredOn: ['入职日期'] };

let tmp: Awaited<ReturnType<typeof createTempDir>>;
beforeAll(async () => {
  tmp = await createTempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

async function headerOf(path: string, sheet?: string | number): Promise<HeaderDetection> {
  const gen = readRows(path, { headerSynonyms: SYNONYMS, requiredKeys: ['name', 'idNumber'], sheet });
  for (;;) {
    const next = await gen.next();
    if (next.done) return next.value.header;
  }
}

function noteText(cell: ExcelJS.Cell): string {
  const note = cell.note as string | ExcelJS.Comment | undefined;
  if (note === undefined || typeof note === 'string') return note ?? '';
  return (note.texts ?? []).map((t) => t.text).join('');
}

function fillColour(cell: ExcelJS.Cell): string | undefined {
  const fill = cell.fill as ExcelJS.FillPattern | undefined;
  return fill?.type === 'pattern' ? fill.fgColor?.argb : undefined;
}

describe('writeMarkedCopy', () => {
  it('fills bad cells light red with a note, lists the messages in 错误说明, keeps everything else', async () => {
    const src = tmp.file('upload.xlsx');
    await writeWorkbook(src, [
      { name: '说明', rows: [['请从第3行开始填写']] },
      {
        name: '花名册',
        merges: ['A1:D1'],
        rows: [
          ['XX街道社区工作者花名册'],
          ['姓名', '身份证号', '入职日期', '备注'],
          ['张三', '110105194912310021', new Date(Date.UTC(2024, 2, 1)), '备注一'],
          ['李四', ID, '2024-13-01'],
          ['王五', ID, 45352, { formula: '1+1', result: 2 }],
        ],
      },
    ]);
    const header = await headerOf(src, '花名册');
    const issues: RowIssue[] = [
      { rowNumber: 3, key: 'idNumber', message: '校验位错误' },
      { rowNumber: 3, key: 'hiredOn', message: '早于出生日期' },
      { rowNumber: 4, key: 'hiredOn', message: '日期格式无法识别：“2024-13-01”' },
      { rowNumber: 4, key: null, message: '与第 3 行重复' },
      { rowNumber: 99, key: 'name', message: '不存在的行' },
    ];
    const dest = tmp.file('marked.xlsx');
    const result = await writeMarkedCopy(src, dest, '花名册', issues, header);
    expect(result).toEqual({ markedRows: 2, markedCells: 3, missingRows: [99] });

    const book = new excel.Workbook();
    await book.xlsx.readFile(dest);
    expect(book.worksheets.map((w) => w.name)).toEqual(['说明', '花名册']);
    expect(book.getWorksheet('说明')?.getCell('A1').value).toBe('请从第3行开始填写');
    const sheet = book.getWorksheet('花名册')!;

    // Values, header and row order kept; the 错误说明 column follows the header's last column.
    expect(sheet.getCell('A1').value).toBe('XX街道社区工作者花名册');
    expect(sheet.getRow(2).values).toEqual([undefined, '姓名', '身份证号', '入职日期', '备注', ERROR_COLUMN_HEADER]);
    expect(sheet.getCell('C3').value).toEqual(new Date(Date.UTC(2024, 2, 1)));
    expect(sheet.getCell('D5').value).toBe(2);
    expect(sheet.getCell('A5').value).toBe('王五');

    // Row 3: two bad cells.
    expect(fillColour(sheet.getCell('B3'))).toBe('FFFFC7CE');
    expect(noteText(sheet.getCell('B3'))).toBe('校验位错误');
    expect(fillColour(sheet.getCell('C3'))).toBe('FFFFC7CE');
    expect(sheet.getCell('E3').value).toBe('身份证号：校验位错误；入职日期：早于出生日期');
    expect(fillColour(sheet.getCell('A3'))).toBeUndefined();

    // Row 4: one bad cell and a row-level message.
    expect(noteText(sheet.getCell('C4'))).toBe('日期格式无法识别：“2024-13-01”');
    expect(sheet.getCell('E4').value).toBe('入职日期：日期格式无法识别：“2024-13-01”；与第 3 行重复');

    // Row 5 is clean.
    expect(sheet.getCell('E5').value).toBeNull();
    expect(fillColour(sheet.getCell('B5'))).toBeUndefined();
  });

  it('chooses the sheet by index and leaves the others unmarked', async () => {
    const src = tmp.file('two.xlsx');
    await writeWorkbook(src, [
      {
        name: 'A',
        rows: [
          ['姓名', '身份证号'],
          ['甲', ID],
        ],
      },
      {
        name: 'B',
        rows: [
          ['姓名', '身份证号'],
          ['乙', ID],
        ],
      },
    ]);
    const header = await headerOf(src, 1);
    const dest = tmp.file('two-marked.xlsx');
    await writeMarkedCopy(src, dest, 1, [{ rowNumber: 2, key: 'name', message: '姓名有误' }], header);
    const book = new excel.Workbook();
    await book.xlsx.readFile(dest);
    expect(noteText(book.getWorksheet('B')!.getCell('A2'))).toBe('姓名有误');
    expect(noteText(book.getWorksheet('A')!.getCell('A2'))).toBe('');
    expect(book.getWorksheet('A')!.getCell('C1').value).toBeNull();
  });

  it('turns a CSV upload into a marked .xlsx', async () => {
    const src = tmp.file('upload.csv');
    await writeFile(src, `\uFEFF姓名,身份证号\n张三,123\n李四,${ID}\n`);
    const header = await headerOf(src);
    const dest = tmp.file('csv-marked.xlsx');
    await writeMarkedCopy(src, dest, undefined, [{ rowNumber: 2, key: 'idNumber', message: '格式错误，应为18位（末位可为X）' }], header);
    const book = new excel.Workbook();
    await book.xlsx.readFile(dest);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, '姓名', '身份证号', ERROR_COLUMN_HEADER]);
    expect(fillColour(sheet.getCell('B2'))).toBe('FFFFC7CE');
    expect(sheet.getCell('C2').value).toBe('身份证号：格式错误，应为18位（末位可为X）');
    expect(sheet.getCell('A3').value).toBe('李四');
  });
});
