import { describe, expect, it } from 'vitest';
import { excel } from './exceljs.ts';
import { readRows } from './read-sheet.ts';
import { createTempDir } from './test-fixtures.ts';

/**
 * exceljs 4.4 decodes each inflated chunk of XML on its own, so a Chinese character split across two
 * chunks became "�" (one row in a few thousand of a real roster). The wrapper's fix is checked here
 * on both ways a workbook stores text: inline strings and the shared-strings table.
 */
describe('exceljs UTF-8 chunk boundaries', () => {
  for (const useSharedStrings of [false, true]) {
    it(`reads every Chinese cell intact (${useSharedStrings ? 'shared strings' : 'inline strings'})`, async () => {
      const { file, cleanup } = await createTempDir();
      try {
        const path = file('chinese.xlsx');
        const writer = new excel.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings, useStyles: false });
        const sheet = writer.addWorksheet('数据');
        sheet.addRow(['姓名', '学校']).commit();
        const expected: string[] = [];
        for (let i = 0; i < 6000; i++) {
          // Distinct values (so shared strings grow past one chunk) with 3-byte characters throughout.
          const school = `浙江工业大学社会工作专业第${i}届`;
          expected.push(school);
          sheet.addRow([`张三丰${i}`, school]).commit();
        }
        await writer.commit();

        const got: string[] = [];
        for await (const row of readRows(path, { headerSynonyms: { name: ['姓名'], school: ['学校'] }, requiredKeys: ['name'] })) {
          got.push(String(row.cells.school));
        }
        expect(got.filter((v) => v.includes('\uFFFD'))).toEqual([]);
        expect(got).toEqual(expected);
      } finally {
        await cleanup();
      }
    });
  }
});
