/**
 * The columns of the worker import: header synonyms, template presentation, and how each cell
 * becomes an API value. Coded columns accept the Chinese label (汉族, 中共党员, 大学本科), common
 * short forms (汉, 党员, 本科) and the code itself.
 */
import type { PlainCellValue } from '../../../lib/excel/cell-value.ts';
import type { TemplateColumn } from '../../../lib/excel/template.ts';
import { normaliseCellText, parseFlexibleDate } from '../../../lib/excel/text.ts';
import {
  EDUCATION_MODES,
  EDUCATIONS,
  ETHNICITIES,
  GENDERS,
  POLITICAL_STATUSES,
  POSTS,
  QUALIFICATION_LEVELS,
  type CodeLabel,
} from '../../meta/enums.ts';

/** What a cell parser returns: the API value, nothing (empty cell), or a message without the label. */
export type CellResult<T> = { ok: true; value: T | null } | { ok: false; message: string };

export interface ImportColumn extends TemplateColumn {
  /** Every header that means this column; the first is the label used in messages. */
  synonyms: readonly string[];
  parse: (cell: PlainCellValue) => CellResult<unknown>;
}

function text(cell: PlainCellValue): string | null {
  if (cell === null) return null;
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  // The readers hand out strings already normalised (normaliseCellText); numbers are not.
  const s = typeof cell === 'string' ? cell : normaliseCellText(String(cell));
  return s === '' ? null : s;
}

function plainText(max: number) {
  return (cell: PlainCellValue): CellResult<string> => {
    const s = text(cell);
    if (s === null) return { ok: true, value: null };
    if (s.length > max) return { ok: false, message: `不能超过${max}个字（现有${s.length}个）` };
    return { ok: true, value: s };
  };
}

function dateCell(cell: PlainCellValue): CellResult<string> {
  if (cell === null) return { ok: true, value: null };
  const r = parseFlexibleDate(cell);
  if (!r.ok) return { ok: false, message: r.message };
  if (r.value < '1900-01-01' || r.value > '2100-12-31') return { ok: false, message: `日期超出合理范围：${r.value}` };
  return { ok: true, value: r.value };
}

function keyOf(s: string): string {
  return s.replace(/\s+/g, '').toLowerCase();
}

/** Label → code lookup including the codes themselves and extra aliases. */
function codeLookup(list: readonly CodeLabel[], aliases: Record<string, string> = {}): Map<string, string> {
  const map = new Map<string, string>();
  for (const item of list) {
    map.set(keyOf(item.label), item.code);
    map.set(keyOf(item.code), item.code);
    map.set(keyOf(item.labelEn), item.code);
  }
  for (const [alias, code] of Object.entries(aliases)) map.set(keyOf(alias), code);
  return map;
}

function coded(list: readonly CodeLabel[], aliases: Record<string, string> = {}) {
  const lookup = codeLookup(list, aliases);
  return (cell: PlainCellValue): CellResult<string> => {
    let s = text(cell);
    if (s === null) return { ok: true, value: null };
    // A number cell holding a code such as 1 for "01".
    if (typeof cell === 'number' && /^\d$/.test(s)) s = `0${s}`;
    const code = lookup.get(keyOf(s));
    if (code === undefined) return { ok: false, message: `“${s}”不是可选值，请从下拉列表中选择` };
    return { ok: true, value: code === '' ? null : code };
  };
}

// The 56 groups are written with or without 族 (汉, 汉族); GB/T 3304 two-digit codes also work.
const ETHNICITY_ALIASES: Record<string, string> = Object.fromEntries(
  ETHNICITIES.filter((e) => e.label.endsWith('族')).map((e) => [e.label.slice(0, -1), e.code]),
);
const POLITICAL_ALIASES: Record<string, string> = {
  党员: '01',
  共产党员: '01',
  中国共产党党员: '01',
  预备党员: '02',
  团员: '03',
  共青团员: '03',
  无党派: '12',
  无: '13',
};
const EDUCATION_ALIASES: Record<string, string> = {
  博士: '10',
  博士研究生: '10',
  硕士: '10',
  硕士研究生: '10',
  研究生: '10',
  本科: '20',
  大学: '20',
  大专: '30',
  专科: '30',
  高职: '30',
  中专: '40',
  中职: '40',
  职高: '40',
  技校: '40',
  高中: '60',
  初中: '70',
};
const EDUCATION_MODE_ALIASES: Record<string, string> = { 全日制教育: 'full_time', 在职教育: 'part_time', 非全日制: 'part_time' };
const QUALIFICATION_ALIASES: Record<string, string> = {
  助理社工师: 'assistant',
  初级: 'assistant',
  初级社会工作师: 'assistant',
  社工师: 'intermediate',
  中级: 'intermediate',
  中级社会工作师: 'intermediate',
  高级社工师: 'senior',
  高级: 'senior',
  无: '',
};
const POST_ALIASES: Record<string, string> = {
  书记: 'party_secretary',
  党组织书记: 'party_secretary',
  党委书记: 'party_secretary',
  党总支书记: 'party_secretary',
  党支部书记: 'party_secretary',
  主任: 'committee_director',
  社区居委会主任: 'committee_director',
  站长: 'station_head',
  副书记: 'deputy_secretary',
  党组织副书记: 'deputy_secretary',
  副主任: 'deputy_director',
  委员: 'committee_member',
  专职: 'full_time_staff',
  社区专职工作者: 'full_time_staff',
  专职工作者: 'full_time_staff',
  社工: 'full_time_staff',
  网格长: 'grid_worker',
};

const postLookup = codeLookup(POSTS, POST_ALIASES);

/** 岗位: one or several posts separated by 、 , ， ; ； / or spaces (一肩挑 writes 书记、主任). */
function parsePosts(cell: PlainCellValue): CellResult<string[]> {
  const s = text(cell);
  if (s === null) return { ok: true, value: null };
  const parts = s.split(/[、,，;；/\s]+|兼/u).filter((p) => p !== '');
  const codes: string[] = [];
  for (const part of parts) {
    const code = postLookup.get(keyOf(part));
    if (code === undefined) return { ok: false, message: `“${part}”不是可选的岗位，请从下拉列表中选择（兼任多个岗位用“、”分隔）` };
    if (!codes.includes(code)) codes.push(code);
  }
  return { ok: true, value: codes };
}

function parseIdNumberCell(cell: PlainCellValue): CellResult<string> {
  if (cell === null) return { ok: true, value: null };
  if (typeof cell === 'number') {
    // 18 digits do not fit a double: Excel has already rounded the last digits away.
    if (cell >= 1e15 && !Number.isSafeInteger(cell)) {
      return { ok: false, message: '单元格为数字格式，后几位已被 Excel 改为 0，请把该列设为“文本”格式后重新填写' };
    }
    return { ok: true, value: String(cell) };
  }
  const s = text(cell);
  return { ok: true, value: s === null ? null : s.replace(/\s+/g, '').toUpperCase() };
}

function parsePhoneCell(cell: PlainCellValue): CellResult<string> {
  if (cell === null) return { ok: true, value: null };
  return { ok: true, value: typeof cell === 'number' ? String(cell) : text(cell) };
}

function parseGender(cell: PlainCellValue): CellResult<string> {
  return coded(GENDERS, { 男性: 'M', 女性: 'F' })(cell);
}

const labels = (list: readonly CodeLabel[]) => list.map((i) => i.label);

/** Every importable column, in template order. */
export const WORKER_IMPORT_COLUMNS: readonly ImportColumn[] = [
  { key: 'name', header: '姓名', synonyms: ['姓名', '名字', '人员姓名'], required: true, example: '张三', parse: plainText(50) },
  {
    key: 'idNumber',
    header: '身份证号',
    synonyms: ['身份证号', '身份证', '身份证号码', '公民身份号码', '公民身份证号', '证件号码', '身份证件号码'],
    required: true,
    format: 'text',
    width: 22,
    example: '330106199001011234',
    note: '18位居民身份证号；15位旧号码会自动升位。请保持文本格式，否则 Excel 会把后几位改成 0',
    parse: parseIdNumberCell,
  },
  {
    key: 'community',
    header: '所属社区',
    synonyms: ['所属社区', '社区', '社区名称', '所在社区', '工作单位', '所属组织', '社区（村）', '社区代码'],
    required: false,
    example: '保俶塔社区',
    note: '填写社区名称或12位区划代码；留空则记入导入时选择的单位',
    parse: plainText(100),
  },
  {
    key: 'posts',
    header: '岗位',
    synonyms: ['岗位', '职务', '现任职务', '现任岗位', '担任职务'],
    required: true,
    allowed: labels(POSTS),
    example: '专职社区工作者',
    note: '兼任多个岗位（如一肩挑）用“、”分隔，第一个为主岗位',
    parse: parsePosts,
  },
  { key: 'gender', header: '性别', synonyms: ['性别'], required: false, allowed: labels(GENDERS), parse: parseGender },
  {
    key: 'birthDate',
    header: '出生日期',
    synonyms: ['出生日期', '出生年月日', '生日'],
    required: false,
    format: 'date',
    note: '可不填，由身份证号得出；填写时须与身份证号一致',
    parse: dateCell,
  },
  {
    key: 'phone',
    header: '手机号',
    synonyms: ['手机号', '手机', '手机号码', '联系电话', '电话', '联系方式'],
    required: false,
    format: 'text',
    example: '13800001234',
    parse: parsePhoneCell,
  },
  {
    key: 'ethnicity',
    header: '民族',
    synonyms: ['民族'],
    required: false,
    allowed: labels(ETHNICITIES),
    example: '汉族',
    parse: coded(ETHNICITIES, ETHNICITY_ALIASES),
  },
  {
    key: 'politicalStatus',
    header: '政治面貌',
    synonyms: ['政治面貌'],
    required: false,
    allowed: labels(POLITICAL_STATUSES),
    example: '中共党员',
    parse: coded(POLITICAL_STATUSES, POLITICAL_ALIASES),
  },
  {
    key: 'partyJoinDate',
    header: '入党时间',
    synonyms: ['入党时间', '入党日期', '入党年月'],
    required: false,
    format: 'date',
    parse: dateCell,
  },
  {
    key: 'education',
    header: '学历',
    synonyms: ['学历', '最高学历', '文化程度'],
    required: false,
    allowed: labels(EDUCATIONS),
    example: '大学本科',
    parse: coded(EDUCATIONS, EDUCATION_ALIASES),
  },
  {
    key: 'educationMode',
    header: '学习形式',
    synonyms: ['学习形式', '教育类别', '全日制/在职', '学历类别'],
    required: false,
    allowed: labels(EDUCATION_MODES),
    parse: coded(EDUCATION_MODES, EDUCATION_MODE_ALIASES),
  },
  { key: 'school', header: '毕业院校', synonyms: ['毕业院校', '毕业学校', '学校'], required: false, parse: plainText(100) },
  { key: 'major', header: '所学专业', synonyms: ['所学专业', '专业'], required: false, parse: plainText(100) },
  {
    key: 'workStartDate',
    header: '参加社区工作时间',
    synonyms: ['参加社区工作时间', '参加社区工作日期', '从事社区工作时间', '参加工作时间'],
    required: false,
    format: 'date',
    example: '2018-03-01',
    parse: dateCell,
  },
  {
    key: 'joinCommunityDate',
    header: '进入本社区时间',
    synonyms: ['进入本社区时间', '到本社区工作时间', '入职本社区时间', '入职时间', '入职日期'],
    required: false,
    format: 'date',
    parse: dateCell,
  },
  {
    key: 'qualificationLevel',
    header: '社工职业资格',
    synonyms: ['社工职业资格', '社会工作者职业资格', '职业资格', '社工证', '社工资格'],
    required: false,
    allowed: labels(QUALIFICATION_LEVELS),
    parse: coded(QUALIFICATION_LEVELS, QUALIFICATION_ALIASES),
  },
  {
    key: 'certificateNo',
    header: '证书编号',
    synonyms: ['证书编号', '资格证书编号', '证书号'],
    required: false,
    format: 'text',
    parse: plainText(50),
  },
  {
    key: 'certificateDate',
    header: '取证时间',
    synonyms: ['取证时间', '取证日期', '发证日期'],
    required: false,
    format: 'date',
    parse: dateCell,
  },
  { key: 'formerName', header: '曾用名', synonyms: ['曾用名'], required: false, parse: plainText(50) },
  { key: 'address', header: '现住址', synonyms: ['现住址', '家庭住址', '住址', '居住地址'], required: false, parse: plainText(200) },
  { key: 'hukou', header: '户籍地', synonyms: ['户籍地', '户籍', '户籍所在地', '户口所在地'], required: false, parse: plainText(200) },
  {
    key: 'emergencyContactName',
    header: '紧急联系人',
    synonyms: ['紧急联系人', '紧急联系人姓名'],
    required: false,
    parse: plainText(50),
  },
  {
    key: 'emergencyContactPhone',
    header: '紧急联系人电话',
    synonyms: ['紧急联系人电话', '紧急联系电话'],
    required: false,
    format: 'text',
    parse: parsePhoneCell,
  },
  {
    key: 'status',
    header: '人员状态',
    synonyms: ['人员状态', '状态', '在岗状态'],
    required: false,
    allowed: ['在岗', '试用期'],
    note: '留空为“在岗”；离岗、退出请在系统中办理',
    parse: coded(
      [
        { code: 'active', label: '在岗', labelEn: 'Active' },
        { code: 'probation', label: '试用期', labelEn: 'On probation' },
      ],
      { 在职: 'active', 正式: 'active', 试用: 'probation' },
    ),
  },
  {
    key: 'probationEndDate',
    header: '试用期满日期',
    synonyms: ['试用期满日期', '试用期结束日期', '转正日期'],
    required: false,
    format: 'date',
    parse: dateCell,
  },
];

export const WORKER_IMPORT_COLUMN_BY_KEY = new Map(WORKER_IMPORT_COLUMNS.map((c) => [c.key, c]));

/** Header rules for the reader: synonyms per key and the required keys. */
export const WORKER_IMPORT_HEADER = {
  headerSynonyms: Object.fromEntries(WORKER_IMPORT_COLUMNS.map((c) => [c.key, c.synonyms])),
  requiredKeys: WORKER_IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.key),
};

/** The label of a column in messages (第12行 身份证号：…). */
export function columnLabel(key: string | null): string {
  if (key === null) return '';
  return WORKER_IMPORT_COLUMN_BY_KEY.get(key)?.header ?? key;
}

/** Instructions written on the template's 填写说明 sheet. */
export const WORKER_IMPORT_INSTRUCTIONS: readonly string[] = [
  '带 * 的列为必填列；列的顺序可以调整，列名也可使用常见写法（如“身份证”“公民身份号码”）。',
  '第 2 行是示例，导入时会自动忽略；也可以删除后填写。',
  '身份证号请使用文本格式，15 位旧号码会自动升为 18 位；性别和出生日期由身份证号得出，填写时须一致。',
  '日期可写作 2024-03-01、2024/3/1、2024.3.1 或 2024年3月1日。',
  '“所属社区”填写社区名称或 12 位区划代码；如整张表都属于同一个社区，可留空并在导入时选择该社区。',
  '兼任多个岗位（如书记、主任一肩挑）时，在“岗位”中用“、”分隔。',
  '已在册的人员（按身份证号识别）默认跳过；导入时选择“更新已有人员”可用表中的非空内容更新其档案，空白单元格不会清空已有信息。',
  '上传后系统先逐行校验，有错误时可下载标注了错误的文件，改正后重新上传；全部正确后再确认导入，导入要么全部成功，要么不写入任何数据。',
];
