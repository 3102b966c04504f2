/**
 * Checking one spreadsheet row of the worker import, without the database: every cell is parsed
 * (all problems of a row are reported, not just the first), then the row as a whole (ID number,
 * gender and birth date against it, posts, dates). Database checks (duplicates, existing workers)
 * happen per chunk in the service.
 */
import type { ParsedRow } from '../../../lib/excel/header-map.ts';
import { ID_PROBLEM_MESSAGES, parseIdNumber, upgradeLegacyIdNumber, type ParsedIdNumber } from '../../../lib/id-card.ts';
import { normalisePhone } from '../../../lib/mask.ts';
import { resolvePosts } from '../workers.lifecycle.ts';
import { columnLabel, WORKER_IMPORT_COLUMNS } from './import-columns.ts';

/** One problem in a row: the column key (null for the row) and the full message "身份证号：校验位错误". */
export interface RowProblem {
  field: string | null;
  message: string;
}

/** Where a row's people are placed: resolves the 所属社区 cell (name or code) or the default. */
export interface PlacementResolver {
  resolve(cell: string | null): { code: string } | { problem: string };
}

/** A row that passed every check that needs no database. */
export interface CheckedRow {
  rowNumber: number;
  id: ParsedIdNumber;
  orgCode: string;
  post: string;
  posts: string[];
  phone: string | null;
  emergencyPhone: string | null;
  /** Other values present in the row, by API field name (empty cells left out). */
  values: Record<string, string>;
}

/** A failed row still carries its ID number when that was valid, so duplicates are found among bad rows too. */
export type RowCheck = { ok: true; row: CheckedRow } | { ok: false; problems: RowProblem[]; id: ParsedIdNumber | null };

const DATE_NOT_FUTURE = ['partyJoinDate', 'workStartDate', 'joinCommunityDate', 'certificateDate'] as const;
const PLAIN_KEYS = new Set([
  'name',
  'formerName',
  'ethnicity',
  'politicalStatus',
  'partyJoinDate',
  'education',
  'educationMode',
  'school',
  'major',
  'workStartDate',
  'joinCommunityDate',
  'qualificationLevel',
  'certificateNo',
  'certificateDate',
  'address',
  'hukou',
  'emergencyContactName',
  'status',
  'probationEndDate',
]);

function problem(field: string | null, message: string): RowProblem {
  return { field, message: field ? `${columnLabel(field)}：${message}` : message };
}

/** Checks one row; `today` is `YYYY-MM-DD`. */
export function checkImportRow(row: ParsedRow, placement: PlacementResolver, today: string): RowCheck {
  const problems: RowProblem[] = [];
  const parsed: Record<string, unknown> = {};
  for (const column of WORKER_IMPORT_COLUMNS) {
    if (!Object.hasOwn(row.cells, column.key)) continue;
    const r = column.parse(row.cells[column.key] ?? null);
    if (!r.ok) problems.push(problem(column.key, r.message));
    else if (r.value !== null) parsed[column.key] = r.value;
  }
  for (const key of ['name', 'idNumber', 'posts'] as const) {
    if (parsed[key] === undefined && !problems.some((p) => p.field === key)) problems.push(problem(key, '必填'));
  }

  let id: ParsedIdNumber | null = null;
  if (typeof parsed.idNumber === 'string') {
    const r = parseIdNumber(upgradeLegacyIdNumber(parsed.idNumber) ?? parsed.idNumber);
    if ('problem' in r) problems.push(problem('idNumber', ID_PROBLEM_MESSAGES[r.problem].zh));
    else id = r;
  }
  if (id) {
    if (parsed.gender !== undefined && parsed.gender !== id.gender) problems.push(problem('gender', '与身份证号不符'));
    if (parsed.birthDate !== undefined && parsed.birthDate !== id.birthDate) {
      problems.push(problem('birthDate', `与身份证号不符（身份证号为 ${id.birthDate}）`));
    }
  }

  const phones: Record<'phone' | 'emergencyContactPhone', string | null> = { phone: null, emergencyContactPhone: null };
  for (const key of ['phone', 'emergencyContactPhone'] as const) {
    const raw = parsed[key];
    if (typeof raw !== 'string') continue;
    const phone = normalisePhone(raw);
    if (phone) phones[key] = phone;
    else problems.push(problem(key, `“${raw}”不是有效的电话号码，应为11位手机号或带区号的固定电话`));
  }

  for (const key of DATE_NOT_FUTURE) {
    const v = parsed[key];
    if (typeof v === 'string' && v > today) problems.push(problem(key, `不能晚于今天（${v}）`));
  }
  if (id && typeof parsed.workStartDate === 'string' && parsed.workStartDate < id.birthDate) {
    problems.push(problem('workStartDate', '早于出生日期'));
  }
  if (
    typeof parsed.workStartDate === 'string' &&
    typeof parsed.joinCommunityDate === 'string' &&
    parsed.joinCommunityDate < parsed.workStartDate
  ) {
    problems.push(problem('joinCommunityDate', '早于参加社区工作时间'));
  }
  if (parsed.status === 'probation' && parsed.probationEndDate === undefined) {
    problems.push(problem('probationEndDate', '人员状态为“试用期”时必填'));
  }

  let posts: { post: string; posts: string[] } | null = null;
  if (Array.isArray(parsed.posts)) {
    const list = parsed.posts as string[];
    const r = resolvePosts(null, { post: list[0], posts: list });
    if ('problem' in r) problems.push(problem('posts', r.problem.replace(/^岗位：/, '')));
    else posts = r;
  }

  const place = placement.resolve(typeof parsed.community === 'string' ? parsed.community : null);
  if ('problem' in place) problems.push(problem('community', place.problem));

  if (problems.length > 0 || !id || !posts || 'problem' in place) return { ok: false, problems, id };
  const values: Record<string, string> = {};
  for (const [key, v] of Object.entries(parsed)) if (PLAIN_KEYS.has(key) && typeof v === 'string') values[key] = v;
  return {
    ok: true,
    row: {
      rowNumber: row.rowNumber,
      id,
      orgCode: place.code,
      post: posts.post,
      posts: posts.posts,
      phone: phones.phone,
      emergencyPhone: phones.emergencyContactPhone,
      values,
    },
  };
}

/** An org where the import may place people. */
export interface PlacementOrg {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
}

/**
 * Resolves 所属社区 cells within the import's org: a 12- or 9-digit code in the subtree, or a name
 * (unique within it; a name shared by two communities asks for the code). An empty cell places the
 * row in the import's own org when that is a street or community.
 */
export function createPlacementResolver(target: PlacementOrg, orgs: readonly PlacementOrg[]): PlacementResolver {
  const byCode = new Map(orgs.map((o) => [o.code, o]));
  const byName = new Map<string, PlacementOrg[]>();
  const parentNames = new Map(orgs.map((o) => [o.code, o.name]));
  for (const o of orgs) {
    const key = o.name.replace(/\s+/g, '');
    byName.set(key, [...(byName.get(key) ?? []), o]);
    // 社区 names are often written without the suffix: 保俶塔 for 保俶塔社区.
    const short = key.replace(/(社区居民委员会|居民委员会|居委会|社区|村民委员会|村委会)$/u, '');
    if (short !== key && short.length >= 2) byName.set(`~${short}`, [...(byName.get(`~${short}`) ?? []), o]);
  }
  const cache = new Map<string, { code: string } | { problem: string }>();
  const compute = (cell: string): { code: string } | { problem: string } => {
    const key = cell.replace(/\s+/g, '');
    if (/^\d{9}(\d{3})?$/.test(key)) {
      const org = byCode.get(key);
      return org ? { code: org.code } : { problem: `代码“${key}”不在本次导入的单位“${target.name}”之下` };
    }
    // 街道/社区 written together: the last part names the place, the one before it its street.
    const parts = key.split(/[/／\\>＞-]/u).filter((p) => p !== '');
    const last = parts.pop() ?? key;
    const parent = parts.pop();
    const found =
      byName.get(last) ?? byName.get(`~${last.replace(/(社区居民委员会|居民委员会|居委会|社区|村民委员会|村委会)$/u, '')}`) ?? [];
    const exact = found.filter((o) => o.level === 5);
    let list = exact.length > 0 ? exact : found;
    if (parent !== undefined && list.length > 1) {
      const under = list.filter((o) => parentNames.get(o.parent_code ?? '') === parent);
      if (under.length > 0) list = under;
    }
    if (list.length === 1) return { code: list[0]!.code };
    if (list.length > 1) {
      const named = list
        .slice(0, 3)
        .map((o) => `${parentNames.get(o.parent_code ?? '') ?? ''}${o.name}（${o.code}）`)
        .join('、');
      return { problem: `“${cell}”有重名：${named}，请改填12位社区代码` };
    }
    return { problem: `在“${target.name}”下找不到“${cell}”，请填写社区全称或12位代码` };
  };
  return {
    resolve(cell) {
      if (cell === null) {
        if (target.level >= 4) return { code: target.code };
        return { problem: `必填（导入单位“${target.name}”不是街道或社区，须写明每人所属社区）` };
      }
      let r = cache.get(cell);
      if (!r) {
        r = compute(cell);
        cache.set(cell, r);
      }
      return r;
    },
  };
}
