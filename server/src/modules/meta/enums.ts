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

const CATEGORY_RANK: Record<string, number> = { principal: 0, deputy: 1, staff: 2 };

/** Rank of a post: lower is higher (its category first, then its place in POSTS). */
export function postRank(post: string): number {
  const i = POSTS.findIndex((p) => p.code === post);
  return (CATEGORY_RANK[postCategoryOf(post)] ?? 2) * 100 + (i < 0 ? 99 : i);
}

/** The highest-ranking post of a set, which gives the post category (正职 > 副职 > 其他). */
export function highestPost(posts: readonly string[]): string | undefined {
  return [...posts].sort((a, b) => postRank(a) - postRank(b))[0];
}

/** 一肩挑: one person is both the community Party secretary and the residents' committee director. */
export function isConcurrentPosts(posts: readonly string[]): boolean {
  return posts.includes('party_secretary') && posts.includes('committee_director');
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

/** Ethnic groups (GB/T 3304-1991), the 56 recognised groups in the standard's order. */
export const ETHNICITIES = [
  { code: '01', label: '汉族', labelEn: 'Han' },
  { code: '02', label: '蒙古族', labelEn: 'Mongol' },
  { code: '03', label: '回族', labelEn: 'Hui' },
  { code: '04', label: '藏族', labelEn: 'Tibetan' },
  { code: '05', label: '维吾尔族', labelEn: 'Uyghur' },
  { code: '06', label: '苗族', labelEn: 'Miao' },
  { code: '07', label: '彝族', labelEn: 'Yi' },
  { code: '08', label: '壮族', labelEn: 'Zhuang' },
  { code: '09', label: '布依族', labelEn: 'Buyei' },
  { code: '10', label: '朝鲜族', labelEn: 'Korean' },
  { code: '11', label: '满族', labelEn: 'Manchu' },
  { code: '12', label: '侗族', labelEn: 'Dong' },
  { code: '13', label: '瑶族', labelEn: 'Yao' },
  { code: '14', label: '白族', labelEn: 'Bai' },
  { code: '15', label: '土家族', labelEn: 'Tujia' },
  { code: '16', label: '哈尼族', labelEn: 'Hani' },
  { code: '17', label: '哈萨克族', labelEn: 'Kazakh' },
  { code: '18', label: '傣族', labelEn: 'Dai' },
  { code: '19', label: '黎族', labelEn: 'Li' },
  { code: '20', label: '傈僳族', labelEn: 'Lisu' },
  { code: '21', label: '佤族', labelEn: 'Va' },
  { code: '22', label: '畲族', labelEn: 'She' },
  { code: '23', label: '高山族', labelEn: 'Gaoshan' },
  { code: '24', label: '拉祜族', labelEn: 'Lahu' },
  { code: '25', label: '水族', labelEn: 'Sui' },
  { code: '26', label: '东乡族', labelEn: 'Dongxiang' },
  { code: '27', label: '纳西族', labelEn: 'Naxi' },
  { code: '28', label: '景颇族', labelEn: 'Jingpo' },
  { code: '29', label: '柯尔克孜族', labelEn: 'Kirgiz' },
  { code: '30', label: '土族', labelEn: 'Tu' },
  { code: '31', label: '达斡尔族', labelEn: 'Daur' },
  { code: '32', label: '仫佬族', labelEn: 'Mulao' },
  { code: '33', label: '羌族', labelEn: 'Qiang' },
  { code: '34', label: '布朗族', labelEn: 'Blang' },
  { code: '35', label: '撒拉族', labelEn: 'Salar' },
  { code: '36', label: '毛南族', labelEn: 'Maonan' },
  { code: '37', label: '仡佬族', labelEn: 'Gelao' },
  { code: '38', label: '锡伯族', labelEn: 'Xibe' },
  { code: '39', label: '阿昌族', labelEn: 'Achang' },
  { code: '40', label: '普米族', labelEn: 'Pumi' },
  { code: '41', label: '塔吉克族', labelEn: 'Tajik' },
  { code: '42', label: '怒族', labelEn: 'Nu' },
  { code: '43', label: '乌孜别克族', labelEn: 'Uzbek' },
  { code: '44', label: '俄罗斯族', labelEn: 'Russian' },
  { code: '45', label: '鄂温克族', labelEn: 'Evenki' },
  { code: '46', label: '德昂族', labelEn: "De'ang" },
  { code: '47', label: '保安族', labelEn: 'Bonan' },
  { code: '48', label: '裕固族', labelEn: 'Yugur' },
  { code: '49', label: '京族', labelEn: 'Gin' },
  { code: '50', label: '塔塔尔族', labelEn: 'Tatar' },
  { code: '51', label: '独龙族', labelEn: 'Derung' },
  { code: '52', label: '鄂伦春族', labelEn: 'Oroqen' },
  { code: '53', label: '赫哲族', labelEn: 'Hezhen' },
  { code: '54', label: '门巴族', labelEn: 'Monpa' },
  { code: '55', label: '珞巴族', labelEn: 'Lhoba' },
  { code: '56', label: '基诺族', labelEn: 'Jino' },
] as const satisfies readonly CodeLabel[];
export const ETHNICITY_CODES = ETHNICITIES.map((e) => e.code) as [string, ...string[]];

/** Mode of study of the highest education (全日制 / 在职). */
export const EDUCATION_MODES = [
  { code: 'full_time', label: '全日制', labelEn: 'Full-time' },
  { code: 'part_time', label: '在职', labelEn: 'Part-time' },
] as const satisfies readonly CodeLabel[];
export type EducationMode = (typeof EDUCATION_MODES)[number]['code'];
export const EDUCATION_MODE_CODES = EDUCATION_MODES.map((e) => e.code) as [EducationMode, ...EducationMode[]];

/** National social work qualification (全国社会工作者职业资格). */
export const QUALIFICATION_LEVELS = [
  { code: 'assistant', label: '助理社会工作师', labelEn: 'Assistant social worker' },
  { code: 'intermediate', label: '社会工作师', labelEn: 'Social worker' },
  { code: 'senior', label: '高级社会工作师', labelEn: 'Senior social worker' },
] as const satisfies readonly CodeLabel[];
export type QualificationLevel = (typeof QUALIFICATION_LEVELS)[number]['code'];
export const QUALIFICATION_LEVEL_CODES = QUALIFICATION_LEVELS.map((e) => e.code) as [QualificationLevel, ...QualificationLevel[]];

/** Kinds of leave (离岗) a worker may be on. */
export const LEAVE_TYPES = [
  { code: 'sick', label: '病假', labelEn: 'Sick leave' },
  { code: 'maternity', label: '产假', labelEn: 'Maternity leave' },
  { code: 'secondment', label: '借调', labelEn: 'Secondment' },
  { code: 'study', label: '脱产学习', labelEn: 'Full-time study' },
] as const satisfies readonly CodeLabel[];
export type LeaveType = (typeof LEAVE_TYPES)[number]['code'];
export const LEAVE_TYPE_CODES = LEAVE_TYPES.map((e) => e.code) as [LeaveType, ...LeaveType[]];

/** Reasons a worker leaves the roll (退出机制). */
export const EXIT_REASONS = [
  { code: 'contract_expiry', label: '合同期满不再续签', labelEn: 'Contract expired' },
  { code: 'resignation', label: '辞职', labelEn: 'Resignation' },
  { code: 'dismissal', label: '解聘', labelEn: 'Dismissal' },
  { code: 'retirement', label: '退休', labelEn: 'Retirement' },
  { code: 'assessment_unqualified', label: '考核不称职', labelEn: 'Assessed unqualified' },
  { code: 'death', label: '死亡', labelEn: 'Death' },
  { code: 'other', label: '其他', labelEn: 'Other' },
] as const satisfies readonly CodeLabel[];
export type ExitReason = (typeof EXIT_REASONS)[number]['code'];
export const EXIT_REASON_CODES = EXIT_REASONS.map((e) => e.code) as [ExitReason, ...ExitReason[]];

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
