/**
 * Import of annual assessment results (考核结果导入) from an .xlsx or CSV file with the columns
 * 姓名, 身份证号, 年度, 考核结果 — until the assessment issue lands, and for results kept elsewhere.
 * All or nothing: every row is checked first (the worker found through the ID-number blind index and
 * in the caller's scope, the year not finalised by an assessment cycle), and any bad row means
 * nothing is written; the answer lists every row error as `第N行 列名：message`.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { OpContext } from '../../context.ts';
import type { PlainCellValue } from '../../lib/excel/cell-value.ts';
import { DEFAULT_MAX_FILE_BYTES } from '../../lib/excel/detect-file.ts';
import { importFileErrors } from '../../lib/excel/errors.ts';
import { saveUpload } from '../../lib/excel/save-upload.ts';
import { readRows } from '../../lib/excel/read-sheet.ts';
import { buildTemplate, isTemplateExampleRow, type TemplateColumn } from '../../lib/excel/template.ts';
import { normaliseCellText } from '../../lib/excel/text.ts';
import { AppError } from '../../lib/errors.ts';
import { ID_PROBLEM_MESSAGES, parseIdNumber, upgradeLegacyIdNumber } from '../../lib/id-card.ts';
import { isCodeInScope } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { ID_NUMBER_PURPOSE } from '../workers/workers.service.ts';
import * as repo from './grades.repo.ts';
import type { TAssessmentImportResult, TAssessmentImportRowError } from './grades.schema.ts';
import { ASSESSMENT_RESULTS, type AssessmentResult } from './rules/assessment-results.ts';

/** Data rows one upload may hold. */
export const MAX_ASSESSMENT_IMPORT_ROWS = 50_000;
/** Rows looked up or written per statement (well under both databases' bind-parameter limits). */
const CHUNK = 500;
const FIRST_YEAR = 1980;

interface ImportColumn extends TemplateColumn {
  synonyms: readonly string[];
}

export const ASSESSMENT_IMPORT_COLUMNS: readonly ImportColumn[] = [
  { key: 'name', header: '姓名', synonyms: ['姓名', '名字', '人员姓名'], required: true, example: '张三' },
  {
    key: 'idNumber',
    header: '身份证号',
    synonyms: ['身份证号', '身份证', '身份证号码', '公民身份号码', '证件号码'],
    required: true,
    format: 'text',
    width: 22,
    example: '330106199001011234',
    note: '18位居民身份证号，请保持文本格式',
  },
  { key: 'year', header: '年度', synonyms: ['年度', '考核年度', '年份'], required: true, example: '2025', format: 'text' },
  {
    key: 'result',
    header: '考核结果',
    synonyms: ['考核结果', '考核等次', '结果', '等次'],
    required: true,
    allowed: ASSESSMENT_RESULTS.map((r) => r.label),
    example: '称职',
  },
];

const HEADER = {
  headerSynonyms: Object.fromEntries(ASSESSMENT_IMPORT_COLUMNS.map((c) => [c.key, c.synonyms])),
  requiredKeys: ASSESSMENT_IMPORT_COLUMNS.map((c) => c.key),
};
const LABEL = new Map(ASSESSMENT_IMPORT_COLUMNS.map((c) => [c.key, c.header]));

export const ASSESSMENT_IMPORT_INSTRUCTIONS: readonly string[] = [
  '每行一名人员一个年度的考核结果；四列均为必填，列的顺序可以调整。',
  '第 2 行是示例，导入时会自动忽略；也可以删除后填写。',
  '身份证号请使用文本格式；人员按身份证号识别，须为您管辖范围内已登记的人员，姓名须与档案一致。',
  '考核结果填写“优秀”“称职”“基本称职”或“不称职”。',
  '已由年度考核定等的年度不能导入覆盖；同一人员同一年度只能出现一次。',
  '上传后先校验全部行；有任何错误时不写入任何数据，请按提示改正后重新上传。',
];

export async function writeAssessmentImportTemplate(dest: Writable): Promise<void> {
  await buildTemplate(dest, ASSESSMENT_IMPORT_COLUMNS, ASSESSMENT_IMPORT_INSTRUCTIONS, { sheetName: '考核结果' });
}

const RESULT_LOOKUP = new Map<string, AssessmentResult>();
for (const r of ASSESSMENT_RESULTS) {
  RESULT_LOOKUP.set(r.label, r.code);
  RESULT_LOOKUP.set(r.code, r.code);
  RESULT_LOOKUP.set(r.labelEn.toLowerCase(), r.code);
}

function cellText(cell: PlainCellValue | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  const s = typeof cell === 'string' ? cell : normaliseCellText(String(cell));
  return s === '' ? null : s;
}

interface CheckedRow {
  rowNumber: number;
  name: string;
  hash: string;
  year: number;
  result: AssessmentResult;
}

export interface ImportOptions {
  dryRun: boolean;
  fileName?: string | undefined;
}

/**
 * Checks an uploaded results file row by row and, unless a dry run, writes it in one transaction.
 * A dry run answers the row errors; a real import with any row error is refused (400) with the
 * same list and writes nothing.
 */
export async function importAssessmentResults(
  ctx: OpContext,
  body: Readable,
  input: ImportOptions,
  options: { maxBytes?: number } = {},
): Promise<TAssessmentImportResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const dir = path.join(ctx.deps.config.dataDir, 'imports');
  const stored = await saveUpload(body, { dir, suffix: 'assessment.upload', maxBytes });
  try {
    return await checkAndWrite(ctx, stored.path, stored.sha256, input, maxBytes);
  } finally {
    await rm(stored.path, { force: true });
  }
}

async function checkAndWrite(
  ctx: OpContext,
  stored: string,
  fileSha256: string,
  input: ImportOptions,
  maxBytes: number,
): Promise<TAssessmentImportResult> {
  const { cipher } = ctx.deps;
  const db = ctx.deps.db.kysely;
  const thisYear = Number(nowIso().slice(0, 4));
  const errors: TAssessmentImportRowError[] = [];
  const fail = (row: number, key: string, message: string) => {
    const column = LABEL.get(key) ?? key;
    errors.push({ row, column, message, text: `第${row}行 ${column}：${message}` });
  };
  const checked: CheckedRow[] = [];
  const seen = new Map<string, number>();
  let rowCount = 0;
  const rows = readRows(stored, { ...HEADER, fileName: input.fileName, maxBytes, maxRows: MAX_ASSESSMENT_IMPORT_ROWS });
  for await (const row of rows) {
    if (row.isBlank || isTemplateExampleRow(row.cells, ASSESSMENT_IMPORT_COLUMNS)) continue;
    rowCount += 1;
    const n = row.rowNumber;
    const before = errors.length;
    const name = cellText(row.cells.name);
    if (!name) fail(n, 'name', '必填');
    else if (name.length > 50) fail(n, 'name', `不能超过50个字（现有${name.length}个）`);

    let idHash: string | null = null;
    const idCell = row.cells.idNumber ?? null;
    if (typeof idCell === 'number' && idCell >= 1e15 && !Number.isSafeInteger(idCell)) {
      fail(n, 'idNumber', '单元格为数字格式，后几位已被 Excel 改为 0，请把该列设为“文本”格式后重新填写');
    } else {
      const raw = cellText(idCell)?.replace(/\s+/g, '').toUpperCase() ?? null;
      if (!raw) fail(n, 'idNumber', '必填');
      else {
        const id = parseIdNumber(upgradeLegacyIdNumber(raw) ?? raw);
        if ('problem' in id) fail(n, 'idNumber', ID_PROBLEM_MESSAGES[id.problem].zh);
        else idHash = cipher.blindIndex(ID_NUMBER_PURPOSE, id.value);
      }
    }

    let year: number | null = null;
    const yearText = cellText(row.cells.year);
    if (!yearText) fail(n, 'year', '必填');
    else {
      const m = /^(\d{4})(?:\.0+)?(?:年度?)?$/.exec(yearText);
      if (!m) fail(n, 'year', `“${yearText}”不是有效的年度，应为四位数字，如 2025`);
      else if (Number(m[1]) < FIRST_YEAR || Number(m[1]) > thisYear) {
        fail(n, 'year', Number(m[1]) > thisYear ? `${m[1]}年尚未开始，不能录入考核结果` : `年度不能早于${FIRST_YEAR}年`);
      } else year = Number(m[1]);
    }

    let result: AssessmentResult | null = null;
    const resultText = cellText(row.cells.result);
    if (!resultText) fail(n, 'result', '必填');
    else {
      result = RESULT_LOOKUP.get(resultText.replace(/\s+/g, '')) ?? RESULT_LOOKUP.get(resultText.toLowerCase()) ?? null;
      if (!result) fail(n, 'result', `“${resultText}”不是可选的考核结果，应为优秀、称职、基本称职或不称职`);
    }

    if (idHash !== null && year !== null) {
      const key = `${idHash}|${year}`;
      const first = seen.get(key);
      if (first !== undefined) fail(n, 'year', `该人员${year}年度已在第${first}行填写`);
      else seen.set(key, n);
    }
    if (errors.length === before && name && idHash && year !== null && result) {
      checked.push({ rowNumber: n, name, hash: idHash, year, result });
    }
  }
  if (rowCount === 0) throw importFileErrors.empty();

  // Workers by blind index; one outside the caller's scope is reported exactly like one not registered.
  const workers = new Map<string, { id: number; name: string; orgCode: string }>();
  const hashes = [...new Set(checked.map((c) => c.hash))];
  for (let i = 0; i < hashes.length; i += CHUNK) {
    for (const w of await repo.findWorkersByIdHashesUnscoped(db, hashes.slice(i, i + CHUNK))) {
      const isVisible = isCodeInScope(w.org_code, ctx.scope) && (ctx.scope.workerId == null || Number(w.id) === ctx.scope.workerId);
      if (isVisible) workers.set(w.id_number_hash, { id: Number(w.id), name: w.name, orgCode: w.org_code });
    }
  }
  const found = checked.filter((c) => {
    const w = workers.get(c.hash);
    if (!w) fail(c.rowNumber, 'idNumber', '未找到该身份证号对应的人员（须为您管辖范围内已登记的人员）');
    else if (w.name !== c.name) fail(c.rowNumber, 'name', `与身份证号对应人员的姓名“${w.name}”不一致`);
    return w !== undefined && w.name === c.name;
  });

  const existing = new Map<string, { result: string; source: string }>();
  const ids = [...new Set(found.map((c) => workers.get(c.hash)!.id))];
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const r of await repo.findResultsOfWorkerYearsUnscoped(db, ids.slice(i, i + CHUNK))) {
      existing.set(`${Number(r.worker_id)}|${Number(r.year)}`, { result: r.result, source: r.source });
    }
  }
  const counts = { rows: rowCount, created: 0, updated: 0, unchanged: 0, errors: 0 };
  const writes: CheckedRow[] = [];
  for (const c of found) {
    const prior = existing.get(`${workers.get(c.hash)!.id}|${c.year}`);
    if (prior?.source === 'cycle') {
      fail(c.rowNumber, 'year', `${c.year}年度考核结果已由年度考核定等，不能导入覆盖`);
      continue;
    }
    if (!prior) counts.created += 1;
    else if (prior.result === c.result) {
      counts.unchanged += 1;
      continue;
    } else counts.updated += 1;
    writes.push(c);
  }
  errors.sort((a, b) => a.row - b.row);
  counts.errors = errors.length;
  if (errors.length > 0) {
    counts.created = counts.updated = counts.unchanged = 0;
    if (!input.dryRun) {
      throw new AppError('VALIDATION_FAILED', {
        message: `导入文件有${errors.length}处错误，未写入任何数据：${errors[0]!.text}${errors.length > 1 ? ' 等' : ''}`,
        messageEn: `The file has ${errors.length} errors; nothing was written`,
        details: { issues: errors.map((e) => ({ field: 'file', message: e.text })), rowErrors: errors, fileSha256 },
      });
    }
    return { dryRun: true, ok: false, counts, errors, fileSha256 };
  }
  if (input.dryRun) return { dryRun: true, ok: true, counts, errors, fileSha256 };

  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < writes.length; i += CHUNK) {
      await repo.upsertImportedResults(
        trx,
        writes.slice(i, i + CHUNK).map((c) => {
          const w = workers.get(c.hash)!;
          return {
            worker_id: w.id,
            org_code: w.orgCode,
            year: c.year,
            result: c.result,
            source: 'import',
            cycle_id: null,
            note: null,
            recorded_by: ctx.actor?.id ?? null,
            created_at: now,
            updated_at: now,
          };
        }),
      );
    }
    await appendAudit(trx, ctx, {
      action: 'assessment_result.import',
      entityType: 'assessment_import',
      entityId: fileSha256.slice(0, 16),
      orgCode: ctx.scope.orgCode,
      after: { fileName: input.fileName ?? null, fileSha256, ...counts },
    });
  });
  return { dryRun: false, ok: true, counts, errors, fileSha256 };
}
