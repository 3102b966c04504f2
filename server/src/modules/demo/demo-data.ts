/**
 * Name lists and distributions for the synthetic demo workforce. Nothing here describes a real
 * person: surnames are weighted by their approximate share of the population (公安部《2020年全国
 * 姓名报告》 order, rounded shares), given names by gender and birth cohort.
 */

/** A value with a relative weight; weights need not sum to anything in particular. */
export type Weighted<T> = readonly (readonly [T, number])[];

/** The hundred-odd commonest surnames, each followed by its rough share in per-ten-thousand. */
const SURNAME_TABLE = `
  王710 李700 张670 刘540 陈460 杨310 黄220 赵220 吴210 周200 徐170 孙150 马150 朱140 胡130 郭130
  何120 林120 高120 罗110 郑110 梁100 谢80 宋80 唐80 许70 韩70 邓70 冯70 曹70 彭60 曾60
  肖60 田60 董60 潘50 袁50 蔡50 蒋50 余50 于50 杜50 叶50 程50 魏40 苏40 吕40 丁40
  任40 卢40 姚40 沈40 钟40 姜40 崔40 谭40 陆40 范30 汪30 廖30 石30 金30 韦30 贾30
  夏30 付30 方30 邹30 熊30 白30 孟30 秦30 邱30 侯30 江30 尹20 薛20 闫20 段20 雷20
  龙20 黎20 史20 陶20 贺20 毛20 郝20 顾20 龚20 邵20 万20 覃20 武20 钱20 戴20 严20
  莫20 孔20 向20 常20 俞15 童15 章15 应10 楼10 虞10 鲍10 欧阳8 诸葛2 司马2
`;

export const SURNAMES: Weighted<string> = SURNAME_TABLE.trim()
  .split(/\s+/)
  .map((entry) => {
    const [, name, weight] = /^(\D+)(\d+)$/.exec(entry)!;
    return [name!, Number(weight)] as const;
  });

type Cohort = 'older' | 'younger';

/** Whole given names common in each cohort (born up to 1985 / from 1986). */
const GIVEN_NAMES: Record<'F' | 'M', Record<Cohort, readonly string[]>> = {
  F: {
    older: [
      '丽娟',
      '秀英',
      '海燕',
      '晓燕',
      '丽华',
      '红梅',
      '春燕',
      '美玲',
      '玉兰',
      '桂芳',
      '丽萍',
      '雪梅',
      '彩霞',
      '秀兰',
      '艳红',
      '建芬',
      '慧敏',
      '素芬',
      '丽君',
      '亚萍',
      '燕萍',
      '晓红',
      '金花',
      '文静',
      '小红',
      '丽娜',
      '秀芳',
      '美华',
      '海英',
      '晓琴',
      '雅琴',
      '玉梅',
      '丹丹',
      '莉莉',
      '卫红',
      '爱华',
      '建英',
      '国英',
      '利萍',
      '菊芳',
      '敏',
      '静',
      '燕',
      '芳',
      '红',
      '娟',
      '萍',
      '霞',
      '艳',
      '丽',
      '英',
      '琴',
      '华',
      '玲',
      '群',
      '虹',
    ],
    younger: [
      '婷婷',
      '佳怡',
      '欣怡',
      '雨婷',
      '梦琪',
      '思雨',
      '晓雪',
      '诗涵',
      '佳琪',
      '雅婷',
      '晨曦',
      '丹妮',
      '倩倩',
      '晶晶',
      '佳佳',
      '梦瑶',
      '思琪',
      '欣然',
      '雅琪',
      '晓婷',
      '心怡',
      '嘉怡',
      '文婷',
      '静怡',
      '美琳',
      '佳慧',
      '雨晴',
      '诗琪',
      '梦洁',
      '晓慧',
      '雯雯',
      '佳敏',
      '怡然',
      '婉婷',
      '蕾',
      '颖',
      '琳',
      '洁',
      '倩',
      '雪',
      '瑶',
      '璐',
      '悦',
      '楠',
      '慧',
      '婧',
      '妍',
      '菲',
      '露',
      '敏',
      '莹',
      '薇',
    ],
  },
  M: {
    older: [
      '建国',
      '建华',
      '建军',
      '国强',
      '志强',
      '海峰',
      '海波',
      '建平',
      '卫东',
      '永刚',
      '志华',
      '晓东',
      '国平',
      '建明',
      '新华',
      '建新',
      '文斌',
      '立新',
      '国华',
      '志刚',
      '振华',
      '伟民',
      '春生',
      '金龙',
      '德明',
      '光明',
      '建忠',
      '小平',
      '建伟',
      '利民',
      '学军',
      '永明',
      '建林',
      '国庆',
      '勇军',
      '伟',
      '强',
      '军',
      '勇',
      '斌',
      '杰',
      '涛',
      '明',
      '超',
      '磊',
      '峰',
      '平',
      '刚',
      '辉',
      '华',
      '林',
      '东',
    ],
    younger: [
      '浩然',
      '俊杰',
      '子豪',
      '宇航',
      '文博',
      '天宇',
      '嘉豪',
      '俊豪',
      '家豪',
      '子轩',
      '晨阳',
      '浩宇',
      '博文',
      '一鸣',
      '志远',
      '思远',
      '明轩',
      '宇轩',
      '振宇',
      '鹏飞',
      '逸飞',
      '浩楠',
      '晓峰',
      '嘉伟',
      '家乐',
      '梓豪',
      '宇辰',
      '泽宇',
      '子健',
      '晨浩',
      '俊熙',
      '承志',
      '思成',
      '浩',
      '宇',
      '杰',
      '鑫',
      '磊',
      '涛',
      '超',
      '晨',
      '俊',
      '昊',
      '凯',
      '帅',
      '阳',
      '骏',
      '亮',
      '斌',
      '皓',
      '航',
      '睿',
    ],
  },
};

/** Characters that combine into plausible two-character given names, for variety beyond the lists. */
const GIVEN_CHARS: Record<'F' | 'M', { first: readonly string[]; second: readonly string[] }> = {
  F: {
    first: [
      '晓',
      '雅',
      '佳',
      '思',
      '欣',
      '梦',
      '雨',
      '诗',
      '婉',
      '静',
      '慧',
      '丽',
      '美',
      '秀',
      '春',
      '玉',
      '文',
      '雪',
      '若',
      '可',
      '海',
      '颖',
      '素',
      '月',
    ],
    second: [
      '婷',
      '怡',
      '琪',
      '雯',
      '洁',
      '丽',
      '芳',
      '萍',
      '燕',
      '玲',
      '颖',
      '娜',
      '菲',
      '倩',
      '媛',
      '蓉',
      '瑶',
      '茹',
      '霞',
      '娟',
      '敏',
      '琳',
      '悦',
      '涵',
    ],
  },
  M: {
    first: [
      '志',
      '建',
      '国',
      '海',
      '伟',
      '俊',
      '浩',
      '子',
      '宇',
      '文',
      '明',
      '家',
      '晓',
      '振',
      '永',
      '立',
      '嘉',
      '天',
      '鹏',
      '泽',
      '博',
      '思',
      '宏',
      '晨',
    ],
    second: [
      '强',
      '军',
      '伟',
      '明',
      '华',
      '杰',
      '涛',
      '斌',
      '峰',
      '磊',
      '辉',
      '刚',
      '平',
      '东',
      '龙',
      '飞',
      '宇',
      '轩',
      '豪',
      '博',
      '航',
      '然',
      '阳',
      '鑫',
    ],
  },
};

/** Picks a given name for the gender and birth year, using `r()` for randomness in [0, 1). */
export function pickGivenName(r: () => number, gender: 'M' | 'F', birthYear: number): string {
  const cohort: Cohort = birthYear <= 1985 ? 'older' : 'younger';
  if (r() < 0.35) {
    const chars = GIVEN_CHARS[gender];
    return pick(r, chars.first) + pick(r, chars.second);
  }
  return pick(r, GIVEN_NAMES[gender][cohort]);
}

/** Mobile number prefixes in use by the three carriers (and 中国广电 192). */
export const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '175',
  '176',
  '177',
  '180',
  '181',
  '182',
  '183',
  '184',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '192',
  '193',
  '195',
  '198',
  '199',
] as const;

/** Education (GB/T 4658 codes) by age group: new hires need 大专 or above, older staff less often have it. */
export const EDUCATION_UNDER_35: Weighted<string> = [
  ['10', 5],
  ['20', 55],
  ['30', 38],
  ['40', 2],
];
export const EDUCATION_35_PLUS: Weighted<string> = [
  ['10', 2],
  ['20', 38],
  ['30', 42],
  ['40', 8],
  ['60', 8],
  ['70', 2],
];

/**
 * Ages of staff (not leaders): 22–58 with most between 28 and 45. Each band is [from, to, weight].
 */
export const STAFF_AGE_BANDS: readonly (readonly [number, number, number])[] = [
  [22, 27, 14],
  [28, 35, 34],
  [36, 45, 34],
  [46, 52, 12],
  [53, 58, 6],
];
/** Party secretaries and directors are older; deputies in between. */
export const PRINCIPAL_AGE_BANDS: readonly (readonly [number, number, number])[] = [
  [32, 39, 30],
  [40, 49, 50],
  [50, 56, 20],
];
export const DEPUTY_AGE_BANDS: readonly (readonly [number, number, number])[] = [
  [28, 35, 40],
  [36, 45, 45],
  [46, 54, 15],
];

export function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

/** Cumulative-weight sampler: precomputed once, O(log n) per draw. */
export function weightedSampler<T>(table: Weighted<T>): (r: () => number) => T {
  const values = table.map(([v]) => v);
  const cumulative: number[] = [];
  let sum = 0;
  for (const [, w] of table) cumulative.push((sum += w));
  return (r) => {
    const x = r() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return values[lo]!;
  };
}
