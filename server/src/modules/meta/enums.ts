/** Coded values shared by the API and the UI. Labels are Chinese with English alongside. */
export interface CodeLabel {
  code: string;
  label: string;
  labelEn: string;
}

export const ROLES = [
  { code: 'sys_admin', label: '系统管理员', labelEn: 'System administrator' },
  { code: 'region_admin', label: '区域管理员（社会工作部）', labelEn: 'Regional administrator' },
  { code: 'street_hr', label: '街道人事专员', labelEn: 'Street office HR' },
  { code: 'community_lead', label: '社区负责人', labelEn: 'Community lead' },
  { code: 'worker', label: '社区工作者', labelEn: 'Community worker' },
  { code: 'auditor', label: '审计/纪检', labelEn: 'Auditor' },
] as const satisfies readonly CodeLabel[];
export type Role = (typeof ROLES)[number]['code'];
export const ROLE_CODES = ROLES.map((r) => r.code) as [Role, ...Role[]];

/** Post categories of the 三岗 sequence. */
export const POST_CATEGORIES = [
  { code: 'principal', label: '正职', labelEn: 'Principal' },
  { code: 'deputy', label: '副职', labelEn: 'Deputy' },
  { code: 'staff', label: '其他', labelEn: 'Staff' },
] as const satisfies readonly CodeLabel[];

export const POSTS = [
  { code: 'party_secretary', label: '社区党组织书记', labelEn: 'Party secretary', category: 'principal' },
  { code: 'committee_director', label: '居委会主任', labelEn: "Residents' committee director", category: 'principal' },
  { code: 'station_head', label: '工作站站长', labelEn: 'Service station head', category: 'principal' },
  { code: 'deputy_secretary', label: '社区党组织副书记', labelEn: 'Deputy party secretary', category: 'deputy' },
  { code: 'deputy_director', label: '居委会副主任', labelEn: 'Deputy director', category: 'deputy' },
  { code: 'committee_member', label: '居委会委员', labelEn: 'Committee member', category: 'staff' },
  { code: 'full_time_staff', label: '专职社区工作者', labelEn: 'Full-time community worker', category: 'staff' },
  { code: 'grid_worker', label: '网格员', labelEn: 'Grid worker', category: 'staff' },
] as const;
export type PostCode = (typeof POSTS)[number]['code'];
export const POST_CODES = POSTS.map((p) => p.code) as [PostCode, ...PostCode[]];

export function postCategoryOf(post: string): string {
  return POSTS.find((p) => p.code === post)?.category ?? 'staff';
}

export const WORKER_STATUSES = [
  { code: 'probation', label: '试用期', labelEn: 'On probation' },
  { code: 'active', label: '在岗', labelEn: 'Active' },
  { code: 'on_leave', label: '离岗', labelEn: 'On leave' },
  { code: 'exited', label: '已退出', labelEn: 'Exited' },
] as const satisfies readonly CodeLabel[];
export type WorkerStatus = (typeof WORKER_STATUSES)[number]['code'];
export const WORKER_STATUS_CODES = WORKER_STATUSES.map((s) => s.code) as [WorkerStatus, ...WorkerStatus[]];
/** Statuses that count towards headcount (在册在岗). */
export const ON_ROLL_STATUSES: WorkerStatus[] = ['probation', 'active', 'on_leave'];

/** Education (GB/T 4658-2006, top-level codes). */
export const EDUCATIONS = [
  { code: '10', label: '研究生', labelEn: 'Postgraduate' },
  { code: '20', label: '大学本科', labelEn: "Bachelor's" },
  { code: '30', label: '大学专科', labelEn: 'Associate (大专)' },
  { code: '40', label: '中等职业教育', labelEn: 'Secondary vocational' },
  { code: '60', label: '普通高级中学', labelEn: 'Senior high school' },
  { code: '70', label: '初级中学', labelEn: 'Junior high school' },
  { code: '80', label: '小学', labelEn: 'Primary school' },
] as const satisfies readonly CodeLabel[];
export const EDUCATION_CODES = EDUCATIONS.map((e) => e.code) as [string, ...string[]];

/** Political status (GB/T 4762-1984). */
export const POLITICAL_STATUSES = [
  { code: '01', label: '中共党员', labelEn: 'CPC member' },
  { code: '02', label: '中共预备党员', labelEn: 'CPC probationary member' },
  { code: '03', label: '共青团员', labelEn: 'CYL member' },
  { code: '04', label: '民革党员', labelEn: 'RCCK member' },
  { code: '05', label: '民盟盟员', labelEn: 'CDL member' },
  { code: '06', label: '民建会员', labelEn: 'CNDCA member' },
  { code: '07', label: '民进会员', labelEn: 'CAPD member' },
  { code: '08', label: '农工党党员', labelEn: 'CPWDP member' },
  { code: '09', label: '致公党党员', labelEn: 'CZGP member' },
  { code: '10', label: '九三学社社员', labelEn: 'Jiusan Society member' },
  { code: '11', label: '台盟盟员', labelEn: 'TDSL member' },
  { code: '12', label: '无党派人士', labelEn: 'Non-party personage' },
  { code: '13', label: '群众', labelEn: 'Masses (no affiliation)' },
] as const satisfies readonly CodeLabel[];
export const POLITICAL_STATUS_CODES = POLITICAL_STATUSES.map((e) => e.code) as [string, ...string[]];

export const GENDERS = [
  { code: 'M', label: '男', labelEn: 'Male' },
  { code: 'F', label: '女', labelEn: 'Female' },
] as const satisfies readonly CodeLabel[];

export const ORG_LEVELS = [
  { code: '0', label: '全国', labelEn: 'Nation' },
  { code: '1', label: '省级', labelEn: 'Province' },
  { code: '2', label: '地市级', labelEn: 'City' },
  { code: '3', label: '区县级', labelEn: 'District' },
  { code: '4', label: '街道/乡镇', labelEn: 'Street / town' },
  { code: '5', label: '社区/村', labelEn: 'Community / village' },
] as const satisfies readonly CodeLabel[];

export function labelOf(list: readonly CodeLabel[], code: string | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  const hit = list.find((x) => x.code === code);
  if (!hit) return code ?? '';
  return lang === 'en' ? hit.labelEn : hit.label;
}
