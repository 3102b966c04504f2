import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError } from './errors.ts';
import type { RawRow } from './header-map.ts';
import { buildZip, createTempDir, writeWorkbook, type ZipFixtureEntry } from './test-fixtures.ts';
import {
  decodeXmlText,
  openXlsxPackage,
  parseDateStyles,
  parseSharedStrings,
  streamSheetRows,
  type SheetRowOptions,
} from './xlsx-reader.ts';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

let tmp: Awaited<ReturnType<typeof createTempDir>>;
beforeAll(async () => {
  tmp = await createTempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

interface PackageSpec {
  sheets: { name: string; xml: string; state?: string; target?: string }[];
  sharedStrings?: string;
  styles?: string;
  workbookPr?: string;
  extra?: ZipFixtureEntry[];
}

/** A package written by hand, so each OOXML feature is exercised exactly as specified. */
async function writePackage(name: string, spec: PackageSpec): Promise<string> {
  const sheets = spec.sheets
    .map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`)
    .join('');
  const rels = spec.sheets
    .map((s, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="${s.target ?? `worksheets/sheet${i + 1}.xml`}"/>`)
    .join('');
  const entries: ZipFixtureEntry[] = [
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(`<?xml version="1.0"?><workbook ${NS} ${R_NS}>${spec.workbookPr ?? ''}<sheets>${sheets}</sheets></workbook>`),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}` +
          (spec.sharedStrings ? `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : '') +
          (spec.styles ? `<Relationship Id="rIdT" Type="${REL}/styles" Target="/xl/styles.xml"/>` : '') +
          '</Relationships>',
      ),
    },
    ...spec.sheets.map((s, i) => ({
      name: `xl/${s.target ?? `worksheets/sheet${i + 1}.xml`}`.replace('xl//', ''),
      data: Buffer.from(s.xml),
    })),
    ...(spec.sharedStrings ? [{ name: 'xl/sharedStrings.xml', data: Buffer.from(spec.sharedStrings) }] : []),
    ...(spec.styles ? [{ name: 'xl/styles.xml', data: Buffer.from(spec.styles) }] : []),
    ...(spec.extra ?? []),
  ];
  const path = tmp.file(name);
  await writeFile(path, buildZip(entries));
  return path;
}

const sheetXml = (rows: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${NS}><dimension ref="A1"/><sheetData>${rows}</sheetData><mergeCells count="0"/></worksheet>`;

async function rowsOf(path: string, sheet = 0, options: SheetRowOptions = {}): Promise<RawRow[]> {
  const pkg = openXlsxPackage(path);
  const out: RawRow[] = [];
  for await (const row of streamSheetRows(pkg, pkg.sheets[sheet]!.part!, options)) out.push(row);
  return out;
}

/** Values by column as a plain object, for readable assertions. */
function cells(row: RawRow): Record<number, unknown> {
  return Object.fromEntries(row.values.flatMap((v, i) => (v === null || v === undefined ? [] : [[i, v]])));
}

async function problemOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportFileError);
  return (err as ImportFileError).problem;
}

describe('decodeXmlText', () => {
  it('decodes entities, character references and OOXML _xHHHH_ escapes', () => {
    expect(decodeXmlText('a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#20013;&#x6587;')).toBe(`a <b> & "c" 'd' 中文`);
    expect(decodeXmlText('一_x000D_二_x005F_x')).toBe('一\r二_x');
    expect(decodeXmlText('_x000D_', false)).toBe('_x000D_');
  });
});

describe('shared strings and styles', () => {
  it('joins rich-text runs, leaves out phonetic guides, and keeps the table index for empty strings', () => {
    const table = parseSharedStrings(
      `<sst ${NS} count="4" uniqueCount="4"><si><t>张三</t></si><si><r><rPr><b/></rPr><t>李</t></r><r><t xml:space="preserve">四 </t></r>` +
        `<rPh sb="0" eb="1"><t>リ</t></rPh><phoneticPr fontId="1"/></si><si><t/></si><si><t>Ａ＆Ｂ&amp;C</t></si></sst>`,
    );
    expect(table).toEqual(['张三', '李四', null, 'A&B&C']);
  });

  it('marks the cell styles whose number format shows a date, built-in or custom', () => {
    const dates = parseDateStyles(
      `<styleSheet ${NS}><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>` +
        `<numFmt numFmtId="165" formatCode="0.00_ "/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>` +
        `<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="49"/><xf numFmtId="31"/></cellXfs></styleSheet>`,
    );
    expect(dates).toEqual([false, true, true, false, false, true]);
  });
});

describe('streamSheetRows', () => {
  it('reads every cell type: shared, inline (rich), formula string, number, boolean, error, ISO date', async () => {
    const path = await writePackage('types.xlsx', {
      sharedStrings: `<sst ${NS}><si><t>姓名</t></si><si><t>王五</t></si></sst>`,
      sheets: [
        {
          name: 'S',
          xml: sheetXml(
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><r><t>身份</t></r><r><t>证号</t></r></is></c></row>' +
              '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="str"><f>CONCATENATE("1","2")</f><v>12</v></c><c r="C2"><v>42.5</v></c>' +
              '<c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#N/A</v></c><c r="F2" t="d"><v>2024-03-01</v></c><c r="G2" t="s"><v>7</v></c></row>',
          ),
        },
      ],
    });
    const rows = await rowsOf(path);
    expect(rows.map((r) => [r.rowNumber, cells(r)])).toEqual([
      [1, { 1: '姓名', 2: '身份证号' }],
      [2, { 1: '王五', 2: '12', 3: 42.5, 4: 'TRUE', 6: new Date(Date.UTC(2024, 2, 1)) }],
    ]);
  });

  it('turns numbers in date-formatted cells (and formula results) into dates, in the 1904 system too', async () => {
    const styles = `<styleSheet ${NS}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`;
    const xml = sheetXml(
      '<row r="1"><c r="A1" s="1"><v>45352</v></c><c r="B1" s="1"><f>DATE(2024,3,1)</f><v>45352</v></c><c r="C1"><v>45352</v></c></row>',
    );
    const plain = await rowsOf(await writePackage('dates.xlsx', { styles, sheets: [{ name: 'S', xml }] }));
    expect(cells(plain[0]!)).toEqual({ 1: new Date(Date.UTC(2024, 2, 1)), 2: new Date(Date.UTC(2024, 2, 1)), 3: 45352 });
    const mac = await rowsOf(
      await writePackage('dates1904.xlsx', { styles, workbookPr: '<workbookPr date1904="1"/>', sheets: [{ name: 'S', xml }] }),
    );
    expect(cells(mac[0]!)[1]).toEqual(new Date(Date.UTC(2028, 2, 2)));
  });

  it('numbers rows and columns without r attributes, skips empty rows and cells, ignores namespace prefixes', async () => {
    const path = await writePackage('refs.xlsx', {
      sheets: [
        {
          name: 'S',
          xml:
            `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
            '<x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c/><x:c t="inlineStr"><x:is><x:t>c</x:t></x:is></x:c></x:row>' +
            '<x:row r="3"/><x:row r="4"><x:c r="B4" t="inlineStr"><x:is><x:t>  </x:t></x:is></x:c></x:row>' +
            '<x:row><x:c r="AA5"><x:v>1</x:v></x:c><!-- a comment --><x:c><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>',
        },
      ],
    });
    const rows = await rowsOf(path);
    expect(rows.map((r) => [r.rowNumber, cells(r)])).toEqual([
      [1, { 1: 'a', 3: 'c' }],
      [5, { 27: 1, 28: 2 }],
    ]);
  });

  it('reads rows and characters split across compressed chunks', async () => {
    const many = Array.from(
      { length: 400 },
      (_, i) =>
        `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>社区工作者第${i + 1}号 &amp; 居委会</t></is></c><c r="B${i + 1}"><v>${i}</v></c></row>`,
    ).join('');
    const path = await writePackage('chunks.xlsx', { sheets: [{ name: 'S', xml: sheetXml(many) }] });
    const rows = await rowsOf(path, 0, { readChunkBytes: 97 });
    expect(rows).toHaveLength(400);
    expect(cells(rows[399]!)).toEqual({ 1: '社区工作者第400号 & 居委会', 2: 399 });
  });

  it('finds sheets through the relationships, in tab order, with their visibility', async () => {
    const path = await writePackage('sheets.xlsx', {
      sheets: [
        { name: '说明', state: 'hidden', xml: sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>说明</t></is></c></row>') },
        { name: 'A&amp;B 名单', target: '/xl/worksheets/roster.xml', xml: sheetXml('<row r="2"><c r="A2"><v>7</v></c></row>') },
      ],
    });
    const pkg = openXlsxPackage(path);
    expect(pkg.sheets).toEqual([
      { name: '说明', state: 'hidden', part: 'xl/worksheets/sheet1.xml' },
      { name: 'A&B 名单', part: 'xl/worksheets/roster.xml' },
    ]);
    expect((await rowsOf(path, 1)).map(cells)).toEqual([{ 1: 7 }]);
  });

  it('reads what exceljs writes', async () => {
    const path = tmp.file('exceljs.xlsx');
    await writeWorkbook(path, [
      {
        name: '名单',
        rows: [
          ['姓名', '入职日期', '人数'],
          ['张三', new Date(Date.UTC(2024, 2, 1)), 3],
          [{ richText: [{ text: '李' }, { text: '四' }] }, null, 4],
        ],
      },
    ]);
    const rows = await rowsOf(path);
    expect(rows.map(cells)).toEqual([
      { 1: '姓名', 2: '入职日期', 3: '人数' },
      { 1: '张三', 2: new Date(Date.UTC(2024, 2, 1)), 3: 3 },
      { 1: '李四', 3: 4 },
    ]);
  });

  it('refuses malformed and truncated worksheets as corrupt', async () => {
    for (const [name, xml] of [
      ['unclosed-cell.xlsx', sheetXml('<row r="1"><c r="A1"><v>1</v></row>')],
      ['lt-in-tag.xlsx', sheetXml('<row r="1"><c r="A1"<v>1</v></c></row>')],
      ['truncated.xlsx', `<worksheet ${NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2">`],
      ['stray.xlsx', sheetXml('<col min="1"/>')],
      ['bad-row-number.xlsx', sheetXml('<row r="x"><c r="A1"><v>1</v></c></row>')],
    ] as const) {
      const path = await writePackage(name, { sheets: [{ name: 'S', xml }] });
      expect(await problemOf(rowsOf(path)), name).toBe('corrupt');
    }
  });

  it('refuses an entry that inflates beyond its declared size, before reading on', async () => {
    const xml = sheetXml(Array.from({ length: 2000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join(''));
    const entries: ZipFixtureEntry[] = [
      { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
      {
        name: 'xl/workbook.xml',
        data: Buffer.from(`<workbook ${NS} ${R_NS}><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: Buffer.from(
          `<Relationships><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
        ),
      },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(xml), declaredSize: 1000 },
    ];
    const path = tmp.file('liar.xlsx');
    await writeFile(path, buildZip(entries));
    expect(await problemOf(rowsOf(path))).toBe('zip_bomb');
  });

  it('refuses a row too long to be real instead of holding it in memory', async () => {
    const long = `<row r="1"><c r="A1" t="inlineStr"><is><t>${'长'.repeat(50_000)}</t></is></c></row>`;
    const path = await writePackage('long-row.xlsx', { sheets: [{ name: 'S', xml: sheetXml(long) }] });
    expect(await rowsOf(path)).toHaveLength(1);
    expect(await problemOf(rowsOf(path, 0, { readChunkBytes: 4096, maxPendingChars: 20_000 }))).toBe('corrupt');
  });

  it('stops reading when the consumer stops, and reads the sheet again afterwards', async () => {
    const path = await writePackage('early.xlsx', {
      sheets: [
        {
          name: 'S',
          xml: sheetXml(Array.from({ length: 50 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join('')),
        },
      ],
    });
    const pkg = openXlsxPackage(path);
    for await (const row of streamSheetRows(pkg, pkg.sheets[0]!.part!)) if (row.rowNumber === 3) break;
    expect(await rowsOf(path)).toHaveLength(50);
  });
});
