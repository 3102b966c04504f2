/**
 * Payroll sheets (.xlsx, streamed): the payroll sheet (工资表: one row per slip with its line
 * items), the bank transfer sheet (代发清单) and the summary per community (汇总表). We hold no
 * bank accounts yet, so the transfer sheet lists name, masked ID number and net pay for the bank
 * to match against its own payroll-card register. Every export is audited.
 */
import { PassThrough, type Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { OpContext } from '../../context.ts';
import { excel } from '../../lib/excel/exceljs.ts';
import { AppError } from '../../lib/errors.ts';
import { nowIso } from '../../lib/time.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { fenToYuanString } from './rules/money.ts';
import { decodeLines } from './payroll.service.ts';
import * as repo from './payroll.repo.ts';

const PAGE = 2000;
export type PayrollExportKind = 'payroll' | 'bank' | 'summary';

const TITLES: Record<PayrollExportKind, string> = { payroll: '工资表', bank: '代发清单', summary: '汇总表' };

/** Yuan as a number with two decimals for the sheet (exact: built from the fen string). */
const yuanCell = (fen: number) => Number(fenToYuanString(fen));

function headerRow(sheet: ExcelJS.Worksheet, headers: string[]) {
  const row = sheet.addRow(headers);
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
  });
  row.commit();
}

/** Starts streaming one sheet of a run in the caller's scope. */
export async function startPayrollExport(ctx: OpContext, runId: number, kind: PayrollExportKind) {
  const db = ctx.deps.db.kysely;
  const run = await repo.getRunInScope(db, ctx.scope, runId);
  if (!run) throw AppError.notFound();
  if (run.status === 'draft' || run.status === 'computing') {
    throw new AppError('CONFLICT', { message: '工资批次尚未计算完成，不能导出', messageEn: 'The run is not computed yet' });
  }
  const fileName = `${TITLES[kind]}-${run.org_name}-${run.month}.xlsx`;
  const asciiFileName = `payroll-${kind}-${run.org_code}-${run.month}.xlsx`;
  const out = new PassThrough();
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'shegong';
  const sheet = workbook.addWorksheet(TITLES[kind], { views: [{ state: 'frozen', ySplit: 2 }] });
  const title = sheet.addRow([
    `${run.org_name} ${run.month} ${TITLES[kind]}${Number(run.is_demo) === 1 ? '（含演示数据）' : ''}（金额单位：元）`,
  ]);
  title.font = { bold: true, size: 14 };
  title.commit();
  let rows = 0;

  const write = async () => {
    if (kind === 'summary') {
      headerRow(sheet, ['组织代码', '社区', '人数', '应发合计', '个人社保公积金', '单位社保公积金', '个人所得税', '实发合计']);
      for (const g of await repo.summariseRunByOrgInScope(db, ctx.scope, runId)) {
        rows += 1;
        sheet
          .addRow([
            g.org_code,
            g.org_name,
            Number(g.slips),
            ...[g.gross, g.employee_insurance, g.employer_insurance, g.tax, g.net].map((v) => yuanCell(Number(v))),
          ])
          .commit();
      }
      return;
    }
    const lineCodes: { code: string; name: string }[] = [];
    let after = 0;
    let isFirst = true;
    for (;;) {
      const page = await repo.readRunSlipPageInScope(db, ctx.scope, runId, after, PAGE);
      if (page.length === 0) break;
      if (kind === 'payroll' && isFirst) {
        // Columns for the line items of the first page (every slip of a run has the same table lines; inputs vary).
        for (const s of page) {
          for (const l of decodeLines(s.lines)) {
            if (!lineCodes.some((c) => c.code === l.code)) lineCodes.push({ code: l.code, name: l.nameZh.replace(/（.*）$/, '') });
          }
        }
        headerRow(sheet, [
          '序号',
          '姓名',
          '身份证号',
          '社区',
          '岗位等级',
          ...lineCodes.map((c) => c.name),
          '应发合计',
          '个人社保公积金',
          '个人所得税',
          '实发合计',
        ]);
      } else if (isFirst) {
        headerRow(sheet, ['序号', '姓名', '身份证号（脱敏）', '所在组织', '实发金额']);
      }
      isFirst = false;
      for (const s of page) {
        rows += 1;
        if (kind === 'payroll') {
          const byCode = new Map<string, number>();
          for (const l of decodeLines(s.lines)) byCode.set(l.code, (byCode.get(l.code) ?? 0) + l.amountFen);
          sheet
            .addRow([
              rows,
              s.worker_name,
              s.id_number_masked,
              s.org_name,
              `${s.band} ${s.level}级`,
              ...lineCodes.map((c) => (byCode.has(c.code) ? yuanCell(byCode.get(c.code)!) : null)),
              yuanCell(Number(s.gross_fen)),
              yuanCell(Number(s.employee_insurance_fen)),
              yuanCell(Number(s.tax_fen)),
              yuanCell(Number(s.net_fen)),
            ])
            .commit();
        } else {
          sheet.addRow([rows, s.worker_name, s.id_number_masked, s.org_name, yuanCell(Number(s.net_fen))]).commit();
        }
      }
      after = Number(page[page.length - 1]!.worker_id);
      if (page.length < PAGE || out.destroyed) break;
    }
    if (isFirst) headerRow(sheet, ['序号', '姓名', '身份证号', '社区', '实发合计']);
  };

  const done = (async () => {
    try {
      await write();
      sheet.commit();
      await recordAudit(ctx, {
        action: 'payroll.export',
        entityType: 'payroll_run',
        entityId: runId,
        orgCode: run.org_code,
        after: { kind, rows, at: nowIso() },
      });
      await workbook.commit();
      return rows;
    } catch (err) {
      out.destroy(err as Error);
      throw err;
    }
  })();
  done.catch(() => undefined);
  return { fileName, asciiFileName, stream: out as Readable, done };
}
