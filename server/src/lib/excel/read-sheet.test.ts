import { copyFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError, type ImportFileProblem } from './errors.ts';
import type { HeaderDetection, ParsedRow } from './header-map.ts';
import { openWorkbook, readRows, type ReadRowsOptions, type ReadRowsSummary } from './read-sheet.ts';
import { buildZip, createTempDir, writeWorkbook } from './test-fixtures.ts';
import { streamSelectedWorksheet } from './workbook-stream.ts';

const SYNONYMS = {
  name: ['姓名'],
  idNumber: ['身份证号', '身份证', '身份证号码', '公民身份号码'],
  gender: ['性别'],
  hiredOn: ['入职日期', '参加工作时间'],
  phone: ['联系电话', '手机号码'],
};
const OPTIONS: ReadRowsOptions = { headerSynonyms: SYNONYMS, requiredKeys: ['idNumber', 'name'] };
const ID = '11010519491231002X';

let tmp: Awaited<ReturnType<typeof createTempDir>>;
beforeAll(async () => {
  tmp = await createTempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

async function readAll(
  path: string,
  options: Partial<ReadRowsOptions> = {},
): Promise<{ rows: ParsedRow[]; header: HeaderDetection; summary: ReadRowsSummary }> {
  const rows: ParsedRow[] = [];
  let seenHeader: HeaderDetection | undefined;
  const gen = readRows(path, { ...OPTIONS, ...options, onHeader: (h) => (seenHeader = h) });
  for (;;) {
    const next = await gen.next();
    if (next.done) {
      expect(seenHeader).toEqual(next.value.header);
      return { rows, header: next.value.header, summary: next.value };
    }
    rows.push(next.value);
  }
}

async function problemOf(path: string, options: Partial<ReadRowsOptions> = {}): Promise<ImportFileError> {
  const err = await readAll(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportFileError);
  return err as ImportFileError;
}

function expectProblem(err: ImportFileError, problem: ImportFileProblem): void {
  expect(err.problem).toBe(problem);
}

describe('readRows on .xlsx', () => {
  it('finds the header under a merged title and blank rows, in any column order, by synonyms', async () => {
    const path = tmp.file('roster.xlsx');
    await writeWorkbook(path, [
      {
        name: '花名册',
        merges: ['A1:F1'],
        rows: [
          ['XX街道社区工作者花名册'],
          [],
          ['填表单位：XX社区', null, null, '填表日期：2024年3月'],
          ['性别', '公民身份号码', '备注', '*姓名（必填）', '参加工作\n时间', '联系电话'],
          ['男', ID, '无', '张三', new Date(Date.UTC(2024, 2, 1)), '13800000000'],
          [],
          ['女', '１１０１０５１９４９１２３１００２Ｘ', null, '\u3000李\u00A0四 ', '2024/3/1', 13900000000],
        ],
      },
    ]);
    const { rows, header, summary } = await readAll(path);
    expect(summary.sheetName).toBe('花名册');
    expect(header.rowNumber).toBe(4);
    expect(header.columns).toEqual({ gender: 1, idNumber: 2, name: 4, hiredOn: 5, phone: 6 });
    expect(header.unknownColumns).toEqual([{ column: 3, header: '备注' }]);
    expect(header.columnCount).toBe(6);
    expect(rows).toEqual([
      {
        rowNumber: 5,
        cells: { gender: '男', idNumber: ID, name: '张三', hiredOn: new Date(Date.UTC(2024, 2, 1)), phone: '13800000000' },
        isBlank: false,
      },
      // Full-width digits and odd spaces normalised; the blank row 6 skipped; numbers stay numbers.
      { rowNumber: 7, cells: { gender: '女', idNumber: ID, name: '李 四', hiredOn: '2024/3/1', phone: 13900000000 }, isBlank: false },
    ]);
  });

  it.each([['身份证'], ['身份证号码'], ['公民身份号码'], ['身份证号(必填)'], ['* 身份证号']])(
    'maps the header %s to idNumber',
    async (title) => {
      const path = tmp.file(`syn-${title.length}-${title.charCodeAt(title.length - 1)}.xlsx`);
      await writeWorkbook(path, [
        {
          name: 'S',
          rows: [
            ['姓名', title],
            ['张三', ID],
          ],
        },
      ]);
      const { header, rows } = await readAll(path);
      expect(header.columns.idNumber).toBe(2);
      expect(rows[0]?.cells.idNumber).toBe(ID);
    },
  );

  it('flattens rich text, formulas, hyperlinks and errors', async () => {
    const path = tmp.file('values.xlsx');
    await writeWorkbook(path, [
      {
        name: 'S',
        rows: [
          ['姓名', '身份证号', '入职日期', '联系电话', '性别'],
          [
            { richText: [{ text: '张', font: { bold: true } }, { text: '三' }] },
            { formula: 'CONCATENATE("110105","19491231002X")', result: ID },
            { formula: 'DATE(2024,3,1)', result: 45352 },
            { text: '13800000000', hyperlink: 'tel:13800000000' },
            { error: '#N/A' },
          ],
        ],
        numFmts: { 3: 'yyyy-mm-dd' },
      },
    ]);
    const { rows } = await readAll(path);
    expect(rows[0]?.cells).toEqual({
      name: '张三',
      idNumber: ID,
      hiredOn: new Date(Date.UTC(2024, 2, 1)),
      phone: '13800000000',
      gender: null,
    });
  });

  it('reads Excel serial numbers and every date form as the cells hold them', async () => {
    const path = tmp.file('dates.xlsx');
    const forms: ExcelJS.CellValue[] = [
      45352,
      '45352',
      '2024-03-01',
      '2024/3/1',
      '2024.3.1',
      '2024年3月1日',
      '20240301',
      '２０２４－０３－０１',
    ];
    await writeWorkbook(path, [{ name: 'S', rows: [['姓名', '身份证号', '入职日期'], ...forms.map((f, i) => [`P${i}`, ID, f])] }]);
    const { rows } = await readAll(path);
    const { parseFlexibleDate } = await import('./text.ts');
    expect(rows.map((r) => parseFlexibleDate(r.cells.hiredOn))).toEqual(forms.map(() => ({ ok: true, value: '2024-03-01' })));
  });

  it('marks rows with content only in unknown columns as blank, and skips empty rows', async () => {
    const path = tmp.file('blank.xlsx');
    await writeWorkbook(path, [
      { name: 'S', rows: [['姓名', '身份证号', '备注'], [], [null, null, '只有备注'], ['', '  ', null], ['张三', ID]] },
    ]);
    const { rows } = await readAll(path);
    expect(rows.map((r) => [r.rowNumber, r.isBlank])).toEqual([
      [3, true],
      [5, false],
    ]);
  });

  it('chooses a sheet by name or 0-based index; by default the first visible one', async () => {
    const path = tmp.file('two-sheets.xlsx');
    await writeWorkbook(path, [
      { name: '说明', rows: [['这是说明']], state: 'hidden' },
      {
        name: '在职',
        rows: [
          ['姓名', '身份证号'],
          ['张三', ID],
        ],
      },
      {
        name: '离职',
        rows: [
          ['身份证号', '姓名'],
          [ID, '李四'],
          [ID, '王五'],
        ],
      },
    ]);
    expect((await readAll(path)).rows.map((r) => r.cells.name)).toEqual(['张三']);
    expect((await readAll(path, { sheet: '离职' })).rows.map((r) => r.cells.name)).toEqual(['李四', '王五']);
    expect((await readAll(path, { sheet: 2 })).summary.sheetName).toBe('离职');
    expect((await readAll(path, { sheet: 1 })).summary.sheetName).toBe('在职');
    expect((await readAll(path, { sheet: ' 离职 ' })).summary.sheetName).toBe('离职');
    const missing = await problemOf(path, { sheet: '退休' });
    expectProblem(missing, 'sheet_not_found');
    expect(missing.message).toBe('找不到工作表“退休”，文件中的工作表有：说明、在职、离职');
    expectProblem(await problemOf(path, { sheet: 5 }), 'sheet_not_found');
  });

  it('names the missing required columns in Chinese', async () => {
    const path = tmp.file('missing.xlsx');
    await writeWorkbook(path, [
      {
        name: 'S',
        rows: [
          ['性别', '联系电话'],
          ['男', '1'],
        ],
      },
    ]);
    const err = await problemOf(path);
    expectProblem(err, 'missing_columns');
    expect(err.message).toBe('缺少必填列：身份证号、姓名');
    expect(err.messageEn).toBe('Missing required columns: 身份证号, 姓名');
    expect(err.details.issues?.map((i) => i.field)).toEqual(['idNumber', 'name']);
  });

  it('refuses two columns that mean the same thing', async () => {
    const path = tmp.file('duplicate.xlsx');
    await writeWorkbook(path, [
      {
        name: 'S',
        rows: [
          ['姓名', '身份证', '身份证号码'],
          ['张三', ID, ID],
        ],
      },
    ]);
    const err = await problemOf(path);
    expectProblem(err, 'duplicate_columns');
    expect(err.message).toBe('表头重复：“身份证”、“身份证号码” 都对应“身份证号”，请只保留一列');
  });

  it('says so when no header is found, and when the sheet is empty', async () => {
    const noHeader = tmp.file('no-header.xlsx');
    await writeWorkbook(noHeader, [
      {
        name: 'S',
        rows: [
          ['甲', '乙'],
          ['1', '2'],
        ],
      },
    ]);
    const err = await problemOf(noHeader);
    expectProblem(err, 'no_header');
    expect(err.message).toContain('未找到表头');

    const empty = tmp.file('empty-sheet.xlsx');
    await writeWorkbook(empty, [{ name: '空表', rows: [] }]);
    const emptyErr = await problemOf(empty);
    expectProblem(emptyErr, 'empty');
    expect(emptyErr.message).toContain('空表');
  });

  it('only looks for the header in the first 20 non-empty rows', async () => {
    const path = tmp.file('deep-header.xlsx');
    const filler = Array.from({ length: 20 }, (_, i) => [`说明第${i + 1}行`]);
    await writeWorkbook(path, [{ name: 'S', rows: [...filler, ['姓名', '身份证号'], ['张三', ID]] }]);
    expectProblem(await problemOf(path), 'no_header');
    const { header } = await readAll(path, { headerSearchRows: 25 });
    expect(header.rowNumber).toBe(21);
  });

  it('stops with too_many_rows past maxRows', async () => {
    const path = tmp.file('limit.xlsx');
    await writeWorkbook(path, [{ name: 'S', rows: [['姓名', '身份证号'], ...Array.from({ length: 12 }, (_, i) => [`P${i}`, ID])] }]);
    expect((await readAll(path, { maxRows: 12 })).rows).toHaveLength(12);
    const err = await problemOf(path, { maxRows: 10 });
    expectProblem(err, 'too_many_rows');
    expect(err.message).toBe('数据行数超过上限（10 行），请拆分文件后分批导入');
  });

  it('reads a CSV that was renamed to .xlsx', async () => {
    const path = tmp.file('renamed.xlsx');
    await writeFile(path, '\uFEFF姓名,身份证号\r\n张三,11010519491231002X\r\n');
    const { rows, summary } = await readAll(path);
    expect(rows).toEqual([{ rowNumber: 2, cells: { name: '张三', idNumber: ID }, isBlank: false }]);
    expect(summary.sheetName).toBe('renamed');
  });

  it('leaves no temporary files behind, also when stopped early', async () => {
    // exceljs parks worksheets in os.tmpdir() as tmp-<pid>-…; they must go once reading stops.
    const ours = async (): Promise<string[]> => (await readdir(tmpdir())).filter((f) => f.startsWith(`tmp-${process.pid}-`));
    const path = tmp.file('early.xlsx');
    await writeWorkbook(path, [{ name: 'S', rows: [['姓名', '身份证号'], ...Array.from({ length: 50 }, (_, i) => [`P${i}`, ID])] }]);
    for await (const row of readRows(path, OPTIONS)) {
      if (row.rowNumber > 3) break;
    }
    await readAll(path, { maxRows: 5 }).catch(() => undefined);
    // tmp removes its files asynchronously.
    await expect.poll(ours, { timeout: 2000, interval: 50 }).toEqual([]);
  });
});

describe('streaming guard', () => {
  it('aborts with too_large when more bytes arrive than allowed, without hanging', async () => {
    const path = tmp.file('grows.xlsx');
    await writeWorkbook(path, [{ name: 'S', rows: Array.from({ length: 2000 }, (_, i) => [`行${i}`, ID, i]) }]);
    const rows = streamSelectedWorksheet(path, {
      maxBytes: 4096,
      sheet: undefined,
      async *visit(sheet) {
        for await (const row of sheet.rows()) yield row.number;
      },
    });
    const err = await (async () => {
      for await (const _ of rows) {
        // keep reading
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as ImportFileError).problem).toBe('too_large');
  });
});

describe('hand-made packages', () => {
  const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  function packageWith(sheetXml: string): Buffer {
    return buildZip([
      { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
      {
        name: 'xl/workbook.xml',
        data: Buffer.from(
          `<?xml version="1.0"?><workbook ${NS} ${REL_NS}><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>`,
        ),
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: Buffer.from(
          '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
            '</Relationships>',
        ),
      },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheetXml) },
    ]);
  }
  const row = (r: number, a: string, b: string): string =>
    `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${a}</t></is></c><c r="B${r}" t="inlineStr"><is><t>${b}</t></is></c></row>`;

  it('reads a minimal workbook written by another tool (inline strings, no shared strings)', async () => {
    const path = tmp.file('minimal.xlsx');
    await writeFile(
      path,
      packageWith(
        `<?xml version="1.0"?><worksheet ${NS}><sheetData>${row(1, '姓名', '身份证号')}${row(2, '张三', ID)}</sheetData></worksheet>`,
      ),
    );
    const { rows, summary } = await readAll(path);
    expect(summary.sheetName).toBe('名单');
    expect(rows).toEqual([{ rowNumber: 2, cells: { name: '张三', idNumber: ID }, isBlank: false }]);
  });

  it('reports malformed sheet XML as a damaged file', async () => {
    const path = tmp.file('malformed.xlsx');
    await writeFile(
      path,
      packageWith(`<?xml version="1.0"?><worksheet ${NS}><sheetData>${row(1, '姓名', '身份证号')}<row r="2"><c r="A2"</sheetData>`),
    );
    expectProblem(await problemOf(path), 'corrupt');
  });
});

describe('openWorkbook', () => {
  it('lists sheets in tab order with row counts', async () => {
    const path = tmp.file('open.xlsx');
    await writeWorkbook(path, [
      { name: '在职', rows: [['标题'], [], ['姓名', '身份证号'], ['张三', ID], ['李四', ID]] },
      { name: '代码', rows: [['男'], ['女']], state: 'hidden' },
    ]);
    const summary = await openWorkbook(path);
    expect(summary).toEqual({
      kind: 'xlsx',
      sheets: [
        { index: 0, name: '在职', isHidden: false, rowCount: 4, lastRowNumber: 5 },
        { index: 1, name: '代码', isHidden: true, rowCount: 2, lastRowNumber: 2 },
      ],
    });
  });

  it('presents a CSV as one sheet named after the file', async () => {
    const path = tmp.file('export.csv');
    await writeFile(path, '姓名,身份证号\n张三,1\n\n李四,2\n');
    expect(await openWorkbook(path)).toEqual({
      kind: 'csv',
      sheets: [{ index: 0, name: 'export', isHidden: false, rowCount: 3, lastRowNumber: 4 }],
    });
  });

  it('refuses what readRows refuses', async () => {
    const path = tmp.file('old.xls');
    await copyFile(tmp.file('open.xlsx'), tmp.file('copy.xlsx'));
    await writeFile(path, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.from('Workbook', 'utf16le'), Buffer.alloc(600)]));
    await expect(openWorkbook(path)).rejects.toMatchObject({ problem: 'legacy_xls' });
  });
});
