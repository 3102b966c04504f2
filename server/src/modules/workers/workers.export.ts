/**
 * The roster (花名册) export: the list's filters and scope, written to .xlsx page by page through
 * exceljs's streaming writer, so a large roster never sits in memory whole. ID numbers and phones
 * are masked unless the caller asks to reveal them and the role may; every export is audited.
 */
import { PassThrough, type Readable } from 'node:stream';
import { excel } from '../../lib/excel/exceljs.ts';
import { z } from 'zod';
import type { OpContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { maskIdNumber, parseIdNumber, upgradeLegacyIdNumber } from '../../lib/id-card.ts';
import { NATION_CODE } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { hasPermission } from '../auth/roles.ts';
import {
  EDUCATIONS,
  ETHNICITIES,
  GENDERS,
  labelOf,
  POLITICAL_STATUSES,
  POST_CATEGORIES,
  POSTS,
  QUALIFICATION_LEVELS,
  WORKER_STATUSES,
} from '../meta/enums.ts';
import { findOrgInScope, getOrgNames } from '../orgs/orgs.service.ts';
import { ZWorkerListQuery, type TWorkerListQuery, type TWorkerSummary } from './workers.schema.ts';
import * as repo from './workers.repo.ts';
import { findWorkers } from './workers.service.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Rows fetched per page: large enough to keep queries few, small enough to bound memory. */
export const EXPORT_PAGE_SIZE = 2000;

/** The list's filters (without paging), plus `reveal=1` for full ID numbers and phones (needs `workers:reveal`). */
export const ZWorkerExportQuery = ZWorkerListQuery.omit({ page: true, pageSize: true, sort: true, order: true }).extend({
  reveal: z.enum(['0', '1']).default('0'),
});
export type TWorkerExportQuery = z.infer<typeof ZWorkerExportQuery>;

const COLUMNS = [
  { header: '序号', width: 7 },
  { header: '姓名', width: 10 },
  { header: '性别', width: 6 },
  { header: '民族', width: 8 },
  { header: '出生日期', width: 12 },
  { header: '年龄', width: 6 },
  { header: '身份证号', width: 21 },
  { header: '政治面貌', width: 13 },
  { header: '学历', width: 12 },
  { header: '所在社区', width: 16 },
  { header: '所在街道', width: 16 },
  { header: '岗位', width: 30 },
  { header: '岗位类别', width: 9 },
  { header: '状态', width: 8 },
  { header: '参加社区工作时间', width: 17 },
  { header: '职业资格', width: 15 },
  { header: '手机号', width: 14 },
] as const;

/** The header row's number (a title and a generated-at line above it). */
export const EXPORT_HEADER_ROW = 3;
const LAST_COLUMN = String.fromCharCode(64 + COLUMNS.length);

/** Columns of the roster that the list row does not carry; ciphertexts only when revealing. */

/** `filename*` (RFC 6266/5987) with an ASCII fallback for old clients. */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The filters as recorded in the audit log: an ID number searched for appears masked. */
function auditedFilters(query: TWorkerExportQuery): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) {
    if (k === 'reveal' || v === undefined) continue;
    out[k] = v;
  }
  if (typeof out.q === 'string') {
    const parsed = parseIdNumber(upgradeLegacyIdNumber(out.q) ?? out.q);
    if ('value' in parsed) out.q = maskIdNumber(parsed.value);
  }
  return out;
}

function streetCodeOf(orgCode: string): string | null {
  return orgCode.length === 12 ? orgCode.slice(0, 9) : orgCode.length === 9 ? orgCode : null;
}

function postsLabel(w: TWorkerSummary): string {
  const text = w.posts.map((p) => labelOf(POSTS, p)).join('、');
  return w.isConcurrent ? `${text}（一肩挑）` : text;
}

/** Resolves when the consumer has room again (or is gone), so a slow download does not pile pages up in memory. */
function waitForRoom(out: PassThrough): Promise<void> {
  if (out.destroyed || !out.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

export interface WorkerExport {
  fileName: string;
  /** ASCII-only name for clients that ignore `filename*`. */
  asciiFileName: string;
  /** The .xlsx bytes; errors after the first byte destroy it (the download is cut short). */
  stream: Readable;
  /** Resolves with the number of data rows once the workbook is complete (or rejects). */
  done: Promise<number>;
}

/**
 * Starts streaming the roster of the caller's scope, filtered like the worker list and in the same
 * order (org code, id). Permission and filter problems are thrown before any byte is produced.
 * The audit entry (`worker.export`: filters, row count, whether revealed) is written once the last
 * row has been handed to the writer and before the workbook's end is sent, so whoever holds the
 * complete file can find it; an export cut short is audited too, with `completed: false`.
 */
export async function startWorkerExport(
  ctx: OpContext,
  query: TWorkerExportQuery,
  options: { pageSize?: number } = {},
): Promise<WorkerExport> {
  const isRevealed = query.reveal === '1';
  if (isRevealed && ctx.actor && !hasPermission(ctx.actor.role, 'workers:reveal')) {
    throw new AppError('FORBIDDEN', {
      message: '没有查看完整身份证号、手机号的权限，请导出脱敏花名册',
      messageEn: 'You may not export unmasked ID numbers and phones',
    });
  }
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const { reveal: _reveal, ...filters } = query;
  const listQuery = (page: number): TWorkerListQuery => ({ ...filters, page, pageSize }) as TWorkerListQuery;
  const first = await findWorkers(ctx, listQuery(1), { exactTotal: true });

  const requested = query.orgCode ? await findOrgInScope(ctx, query.orgCode) : undefined;
  const titleOrg = requested ?? (await findOrgInScope(ctx, ctx.scope.orgCode));
  const orgName = titleOrg?.name ?? (ctx.scope.orgCode === NATION_CODE ? '全国' : ctx.scope.orgCode);
  const orgCode = titleOrg?.code ?? ctx.scope.orgCode;
  const now = nowIso();
  const day = now.slice(0, 10).replaceAll('-', '');
  const fileName = `社区工作者花名册-${orgName}-${day}.xlsx`;
  const asciiFileName = `roster-${orgCode.replace(/[^0-9A-Za-z]/g, '')}-${day}.xlsx`;

  const out = new PassThrough();
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'shegong';
  const sheet = workbook.addWorksheet('花名册', {
    views: [{ state: 'frozen', ySplit: EXPORT_HEADER_ROW }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = COLUMNS.map((c) => ({ width: c.width }));
  sheet.autoFilter = `A${EXPORT_HEADER_ROW}:${LAST_COLUMN}${EXPORT_HEADER_ROW}`;

  const db = ctx.deps.db.kysely;
  const { cipher } = ctx.deps;
  const streetNames = new Map<string, string>();
  let rowCount = 0;

  const writeRows = async () => {
    const title = sheet.addRow([`${orgName}社区工作者花名册`]);
    title.height = 28;
    title.font = { bold: true, size: 16 };
    title.alignment = { horizontal: 'center', vertical: 'middle' };
    sheet.mergeCells(`A1:${LAST_COLUMN}1`);
    title.commit();
    const by = ctx.actor?.displayName ?? ctx.systemName ?? '';
    const privacy = isRevealed ? '含完整身份证号、手机号，请妥善保管' : '身份证号、手机号已脱敏';
    const info = sheet.addRow([
      [`生成时间：${now.slice(0, 16).replace('T', ' ')}（UTC）`, `导出人：${by}`, `共 ${first.total} 人`, privacy].join('\u3000'),
    ]);
    info.font = { color: { argb: 'FF595959' } };
    sheet.mergeCells(`A2:${LAST_COLUMN}2`);
    info.commit();
    const header = sheet.addRow(COLUMNS.map((c) => c.header));
    header.font = { bold: true };
    header.alignment = { horizontal: 'center', vertical: 'middle' };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
      cell.border = { bottom: { style: 'thin' } };
    });
    header.commit();

    let page = first;
    for (;;) {
      const items = page.items;
      const missingStreets = [...new Set(items.map((w) => streetCodeOf(w.orgCode)))].filter(
        (c): c is string => c !== null && !streetNames.has(c),
      );
      if (missingStreets.length > 0) for (const [c, name] of await getOrgNames(ctx, missingStreets)) streetNames.set(c, name);
      const extras = await repo.findExportExtrasInScope(
        db,
        ctx.scope,
        items.map((w) => w.id),
        isRevealed,
      );
      for (const w of items) {
        const x = extras.get(w.id);
        if (!x) continue; // left the scope between the two reads
        const street = streetCodeOf(w.orgCode);
        rowCount += 1;
        sheet
          .addRow([
            rowCount,
            w.name,
            labelOf(GENDERS, w.gender),
            labelOf(ETHNICITIES, x.ethnicity),
            w.birthDate,
            w.age,
            isRevealed && x.id_number_enc ? cipher.decrypt(x.id_number_enc) : w.idNumberMasked,
            labelOf(POLITICAL_STATUSES, x.political_status),
            labelOf(EDUCATIONS, w.education),
            w.orgCode.length === 12 ? w.orgName : '',
            street === w.orgCode ? w.orgName : street ? (streetNames.get(street) ?? '') : '',
            postsLabel(w),
            labelOf(POST_CATEGORIES, w.postCategory),
            labelOf(WORKER_STATUSES, w.status),
            x.work_start_date ?? '',
            labelOf(QUALIFICATION_LEVELS, x.qualification_level),
            isRevealed && x.phone_enc ? cipher.decrypt(x.phone_enc) : (w.phoneMasked ?? ''),
          ])
          .commit();
      }
      if (items.length < pageSize || out.destroyed) break;
      await waitForRoom(out);
      const last = items[items.length - 1]!;
      page = await findWorkers(ctx, listQuery(1), { after: { orgCode: last.orgCode, id: last.id } });
      if (page.items.length === 0) break;
    }
  };

  const audit = (isCompleted: boolean) =>
    recordAudit(ctx, {
      action: 'worker.export',
      entityType: 'worker',
      orgCode: orgCode === NATION_CODE ? null : orgCode,
      after: { filters: auditedFilters(query), rowCount, revealed: isRevealed, ...(isCompleted ? {} : { completed: false }) },
    });

  const done = (async () => {
    let isWritten = false;
    try {
      await writeRows();
      sheet.commit();
      isWritten = true;
      await audit(!out.destroyed);
      await workbook.commit();
      return rowCount;
    } catch (err) {
      if (!isWritten) await audit(false).catch(() => undefined);
      out.destroy(err as Error);
      throw err;
    }
  })();
  // The route reports failures by cutting the download short; callers that await `done` see them.
  done.catch(() => undefined);
  return { fileName, asciiFileName, stream: out, done };
}
