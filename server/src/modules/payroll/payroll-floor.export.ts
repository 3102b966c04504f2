/**
 * The pay-floor check (最低工资保障核查) as an .xlsx download: the same figures as
 * `GET /payroll/floor-report`, one row per worker below the floor. Audited like every export.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { OpContext } from '../../context.ts';
import { excel } from '../../lib/excel/exceljs.ts';
import { nowIso } from '../../lib/time.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { fenToYuanString } from './rules/money.ts';
import { getFloorReport } from './payroll.service.ts';

/** Yuan as a number with two decimals for the sheet (exact: built from the fen string). */
const yuanCell = (fen: number) => Number(fenToYuanString(fen));

/** Builds the floor report of an org node and year in scope (404 outside it) and streams it as a sheet. */
export async function startFloorReportExport(ctx: OpContext, query: { orgCode: string; year: number }) {
  const report = await getFloorReport(ctx, query);
  const out = new PassThrough();
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'shegong';
  const sheet = workbook.addWorksheet('保底核查', { views: [{ state: 'frozen', ySplit: 3 }] });
  const title = sheet.addRow([`${report.orgCode} ${report.year}年 最低工资保障核查（金额单位：元）`]);
  title.font = { bold: true, size: 14 };
  title.commit();
  sheet
    .addRow([
      report.floorFen === null
        ? `未设置 ${report.floorYear} 年社平工资，无法核查`
        : `保底线：${report.floorYear}年城镇单位就业人员平均工资 ${fenToYuanString(report.floorFen, { grouping: true })} 元${report.isDemoFloor ? '（演示数据）' : ''}；核查 ${report.workersChecked} 人，低于保底线 ${report.items.length} 人；导出时间 ${nowIso()}`,
    ])
    .commit();
  const header = sheet.addRow(['序号', '姓名', '所在社区', '发放月数', '年度应发', '折算全年', '保底线', '差额', '说明']);
  header.font = { bold: true };
  header.commit();
  report.items.forEach((item, i) => {
    sheet
      .addRow([
        i + 1,
        item.workerName,
        item.orgName,
        item.months,
        yuanCell(item.grossFen),
        yuanCell(item.annualisedGrossFen),
        yuanCell(item.annualisedGrossFen + item.shortfallFen),
        yuanCell(item.shortfallFen),
        item.message,
      ])
      .commit();
  });
  sheet.commit();
  const done = (async () => {
    try {
      await recordAudit(ctx, {
        action: 'payroll.floorReport.export',
        entityType: 'org',
        entityId: report.orgCode,
        orgCode: report.orgCode,
        after: { year: report.year, rows: report.items.length, at: nowIso() },
      });
      await workbook.commit();
    } catch (err) {
      out.destroy(err as Error);
      throw err;
    }
  })();
  done.catch(() => undefined);
  return {
    fileName: `最低工资保障核查-${report.orgCode}-${report.year}.xlsx`,
    asciiFileName: `floor-report-${report.orgCode}-${report.year}.xlsx`,
    stream: out as Readable,
    done,
  };
}
