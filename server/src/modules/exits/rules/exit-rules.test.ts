import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors.ts';
import { DEFAULT_EXIT_RULES, parseExitRules, proposeExitCases, retirementDate, type ExitWorkerInput } from './exit-rules.ts';

describe('retirementDate under the 2025 reform', () => {
  it.each([
    // [birth date, expected age, expected date] — men: +1 month per 4 birth months from 1965-01, capped at 63
    ['1964-12-10', 60, 0, '2024-12-10'], // before the reform
    ['1965-01-10', 60, 1, '2025-02-10'], // first affected month: ⌊0/4⌋+1 = 1
    ['1965-04-15', 60, 1, '2025-05-15'], // 3 months after: ⌊3/4⌋+1 = 1
    ['1965-05-01', 60, 2, '2025-07-01'], // 4 months after: ⌊4/4⌋+1 = 2
    ['1970-01-20', 61, 4, '2031-05-20'], // 60 months after: ⌊60/4⌋+1 = 16
    ['1976-08-08', 62, 11, '2039-07-08'], // 139 months after: ⌊139/4⌋+1 = 35
    ['1976-09-08', 63, 0, '2039-09-08'], // 140: ⌊140/4⌋+1 = 36, the cap
    ['1990-06-30', 63, 0, '2053-06-30'], // capped
    ['1964-02-29', 60, 0, '2024-02-29'], // leap day kept in a leap year
  ])('man born %s retires at %i years %i months, on %s', (birth, years, months, date) => {
    expect(retirementDate('male', birth)).toMatchObject({ ageYears: years, ageMonths: months, date, month: date.slice(0, 7) });
  });

  it.each([
    // women in cadre posts: 55, +1 month per 4 birth months from 1970-01, capped at 58
    ['1969-12-01', 55, 0, '2024-12-01'],
    ['1970-01-01', 55, 1, '2025-02-01'],
    ['1970-05-05', 55, 2, '2025-07-05'], // 4 months after → 2
    ['1981-08-01', 57, 11, '2039-07-01'], // 139 → 35
    ['1981-09-01', 58, 0, '2039-09-01'], // 140 → 36, the cap
  ])('woman (cadre post) born %s retires at %i years %i months, on %s', (birth, years, months, date) => {
    expect(retirementDate('female', birth, 'cadre')).toMatchObject({ ageYears: years, ageMonths: months, date });
  });

  it.each([
    // women in worker posts: 50, +1 month per 2 birth months from 1975-01, capped at 55
    ['1974-12-31', 50, 0, '2024-12-31'],
    ['1975-01-31', 50, 1, '2025-02-28'], // 0 → 1; 31 Jan + 50y1m clamps to 28 Feb
    ['1975-02-15', 50, 1, '2025-03-15'], // 1 → ⌊1/2⌋+1 = 1
    ['1975-03-15', 50, 2, '2025-05-15'], // 2 → 2
    ['1975-11-15', 50, 6, '2026-05-15'], // 10 → 6
    ['1984-10-01', 54, 11, '2039-09-01'], // 117 → ⌊117/2⌋+1 = 59
    ['1984-11-01', 55, 0, '2039-11-01'], // 118 → 60, the cap
  ])('woman (worker post) born %s retires at %i years %i months, on %s', (birth, years, months, date) => {
    expect(retirementDate('female', birth, 'worker')).toMatchObject({ ageYears: years, ageMonths: months, date });
  });

  it('reports the delay and the original age, ignores the post kind for men, and refuses bad dates', () => {
    expect(retirementDate('male', '1970-01-20', 'worker')).toEqual({
      date: '2031-05-20',
      month: '2031-05',
      ageYears: 61,
      ageMonths: 4,
      delayMonths: 16,
      originalAgeYears: 60,
    });
    expect(() => retirementDate('male', '1970/01/20')).toThrow(RangeError);
  });
});

const AS_OF = '2026-03-01';
const worker = (id: number, changes: Partial<ExitWorkerInput> = {}): ExitWorkerInput => ({
  id,
  gender: 'male',
  birthDate: '1985-05-05',
  postCategory: 'staff',
  results: [
    { year: 2024, result: 'competent' },
    { year: 2025, result: 'competent' },
  ],
  contractTerm: { start: '2024-01-01', end: '2026-12-31' },
  sanctions: [],
  ...changes,
});
const propose = (...workers: ExitWorkerInput[]) => proposeExitCases(DEFAULT_EXIT_RULES, workers, AS_OF);

describe('proposeExitCases (as of 2026-03-01, default rules)', () => {
  it('proposes nothing for a worker who meets no rule', () => {
    expect(propose(worker(1))).toEqual([]);
  });

  it('skips a disabled rule but keeps it in the rule set', () => {
    const rules = parseExitRules({
      ...DEFAULT_EXIT_RULES,
      rules: DEFAULT_EXIT_RULES.rules.map((r) => (r.key === 'one_incompetent' ? { ...r, enabled: false } : r)),
    });
    expect(rules.rules.find((r) => r.key === 'one_incompetent')?.enabled).toBe(false);
    const w = worker(1, { results: [{ year: 2025, result: 'incompetent' }] });
    expect(proposeExitCases(rules, [w], '2026-03-01')).toEqual([]);
    expect(proposeExitCases(DEFAULT_EXIT_RULES, [w], '2026-03-01')).toHaveLength(1);
  });

  it('one 不称职 in the latest year → terminate with 30 days’ notice (2026-03-01 + 30 = 2026-03-31)', () => {
    const cases = propose(
      worker(1, {
        results: [
          { year: 2024, result: 'competent' },
          { year: 2025, result: 'incompetent' },
        ],
      }),
    );
    expect(cases).toEqual([
      {
        workerId: 1,
        ruleKey: 'one_incompetent',
        action: 'terminate',
        dueDate: '2026-03-31',
        explanationZh: '2025年度考核不称职，依据“年度考核不称职”规则，拟解除劳动合同，日期2026-03-31',
        alsoMatched: [],
      },
    ]);
  });

  it('an older 不称职 followed by a better year proposes nothing', () => {
    expect(
      propose(
        worker(1, {
          results: [
            { year: 2024, result: 'incompetent' },
            { year: 2025, result: 'competent' },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('two 基本称职 in the term → not renewed at the term’s end', () => {
    const cases = propose(
      worker(2, {
        results: [
          { year: 2024, result: 'basically_competent' },
          { year: 2025, result: 'basically_competent' },
        ],
      }),
    );
    expect(cases).toMatchObject([{ workerId: 2, ruleKey: 'two_basically_competent', action: 'not_renew', dueDate: '2026-12-31' }]);
    expect(cases[0]!.explanationZh).toBe(
      '本合同期内2024、2025年度考核基本称职共2次，依据“一个合同期内两次基本称职”规则，拟合同期满不再续订，日期2026-12-31',
    );
  });

  it('does not count a 基本称职 from before the term, nor propose not-renewal once renewed or for an open-ended contract', () => {
    const two = {
      results: [
        { year: 2023, result: 'basically_competent' as const },
        { year: 2025, result: 'basically_competent' as const },
      ],
    };
    expect(propose(worker(3, two))).toEqual([]); // 2023-12-31 is before the term start 2024-01-01
    const both = {
      results: [
        { year: 2024, result: 'basically_competent' as const },
        { year: 2025, result: 'basically_competent' as const },
      ],
    };
    expect(propose(worker(3, { ...both, contractRenewed: true }))).toEqual([]);
    expect(propose(worker(3, { ...both, contractTerm: { start: '2024-01-01', end: null } }))).toEqual([]);
  });

  it('retirement within 90 days: woman in a staff post (worker age) born 1975-11-15 → 50y6m on 2026-05-15', () => {
    const w = worker(4, { gender: 'female', birthDate: '1975-11-15', contractTerm: { start: '2024-01-01', end: '2027-12-31' } });
    expect(propose(w)).toEqual([
      {
        workerId: 4,
        ruleKey: 'retirement_age',
        action: 'retire',
        dueDate: '2026-05-15',
        explanationZh:
          '法定退休年龄50岁6个月，2026-05-15达到，依据“达到法定退休年龄”规则，拟达到法定退休年龄，终止劳动合同，日期2026-05-15',
        alsoMatched: [],
      },
    ]);
    // the same woman as a community secretary takes the cadre age (55 + delay), far away
    expect(propose({ ...w, postCategory: 'principal' })).toEqual([]);
  });

  it('retirement beyond 90 days is not proposed yet; a past date still is (overdue)', () => {
    // born 1976-01-15: 12 months after 1975-01 → ⌊12/2⌋+1 = 7 → 50y7m → 2026-08-15, beyond 2026-05-30
    expect(propose(worker(4, { gender: 'female', birthDate: '1976-01-15' }))).toEqual([]);
    // man born 1965-12-01: 11 months after → ⌊11/4⌋+1 = 3 → 60y3m → 2026-03-01 (today)
    expect(propose(worker(4, { birthDate: '1965-12-01', contractTerm: null }))).toMatchObject([
      { dueDate: '2026-03-01', action: 'retire' },
    ]);
    // man born 1965-06-01: 5 months after → 2 → 60y2m → 2025-08-01, already passed
    expect(propose(worker(4, { birthDate: '1965-06-01', contractTerm: null }))).toMatchObject([{ dueDate: '2025-08-01' }]);
  });

  it('contract expiry within 60 days without renewal → expire on the end date', () => {
    const term = { start: '2023-04-16', end: '2026-04-15' };
    expect(propose(worker(5, { contractTerm: term }))).toMatchObject([
      {
        ruleKey: 'contract_expiry',
        action: 'expire',
        dueDate: '2026-04-15',
        explanationZh: '劳动合同2026-04-15期满，尚未续签，依据“合同期满未续签”规则，拟合同期满终止，日期2026-04-15',
      },
    ]);
    expect(propose(worker(5, { contractTerm: term, contractRenewed: true }))).toEqual([]);
    expect(propose(worker(5, { contractTerm: { start: '2023-05-16', end: '2026-05-15' } }))).toEqual([]); // beyond 2026-04-30
  });

  it('disciplinary dismissal → terminate at once; lesser sanctions, earlier terms and future dates do not count', () => {
    expect(
      propose(
        worker(6, {
          sanctions: [
            { kind: 'warning', date: '2026-01-01' },
            { kind: 'party_expulsion', date: '2026-02-10' },
          ],
        }),
      ),
    ).toMatchObject([
      {
        ruleKey: 'disciplinary_dismissal',
        action: 'terminate',
        dueDate: '2026-03-01',
        explanationZh: expect.stringContaining('2026-02-10受到“开除党籍”处理'),
      },
    ]);
    expect(propose(worker(6, { sanctions: [{ kind: 'major_demerit', date: '2026-01-01' }] }))).toEqual([]);
    expect(propose(worker(6, { sanctions: [{ kind: 'dismissal', date: '2023-06-01' }] }))).toEqual([]);
    expect(propose(worker(6, { sanctions: [{ kind: 'criminal_liability', date: '2026-03-02' }] }))).toEqual([]);
  });

  it('several rules: one case, the earliest due date first; the rest kept in alsoMatched', () => {
    // 不称职 → terminate on 2026-03-31; the contract ends 2026-03-20 → expire comes first
    const w = worker(7, { results: [{ year: 2025, result: 'incompetent' }], contractTerm: { start: '2023-03-21', end: '2026-03-20' } });
    const [c] = propose(w);
    expect(c).toMatchObject({ ruleKey: 'contract_expiry', action: 'expire', dueDate: '2026-03-20' });
    expect(c!.alsoMatched).toMatchObject([{ ruleKey: 'one_incompetent', action: 'terminate', dueDate: '2026-03-31' }]);
    expect(c!.explanationZh).toMatch(/（另符合：2025年度考核不称职）$/);
  });

  it('several rules due the same day: the earlier rule in the list wins', () => {
    // expulsion → due 2026-03-01; the contract also ends 2026-03-01 → disciplinary_dismissal is listed first
    const w = worker(8, {
      sanctions: [{ kind: 'dismissal', date: '2026-02-01' }],
      contractTerm: { start: '2023-03-02', end: '2026-03-01' },
    });
    expect(propose(w)).toMatchObject([
      { ruleKey: 'disciplinary_dismissal', alsoMatched: [{ ruleKey: 'contract_expiry', dueDate: '2026-03-01' }] },
    ]);
  });

  it('is deterministic and ordered by worker id whatever the input order', () => {
    const a = worker(30, { results: [{ year: 2025, result: 'incompetent' }] });
    const b = worker(10, { sanctions: [{ kind: 'dismissal', date: '2026-02-01' }] });
    const c = worker(20);
    expect(propose(a, b, c).map((x) => x.workerId)).toEqual([10, 30]);
    expect(propose(c, b, a)).toEqual(propose(a, b, c));
  });
});

describe('exit rules as data', () => {
  it('parses the defaults to themselves', () => {
    expect(parseExitRules(JSON.parse(JSON.stringify(DEFAULT_EXIT_RULES)))).toEqual(DEFAULT_EXIT_RULES);
  });

  it('fills rule defaults (notice 30 days, retirement window 90 days)', () => {
    const r = parseExitRules({
      rules: [
        {
          key: 'bad',
          nameZh: '不称职',
          kind: 'assessment_result',
          result: 'incompetent',
          count: 1,
          within: 'latest_year',
          action: 'terminate',
        },
        { key: 'old', nameZh: '退休', kind: 'retirement_age' },
      ],
      femaleRetirementKind: { principal: 'cadre', deputy: 'cadre', staff: 'cadre' },
    });
    expect(r.rules[0]).toMatchObject({ noticeDays: 30 });
    expect(r.rules[1]).toMatchObject({ action: 'retire', withinDays: 90 });
  });

  it('a region can make two 基本称职 terminate instead, and propose it now', () => {
    const rules = parseExitRules({
      ...DEFAULT_EXIT_RULES,
      rules: DEFAULT_EXIT_RULES.rules.map((r) => (r.key === 'two_basically_competent' ? { ...r, action: 'terminate', noticeDays: 30 } : r)),
    });
    const w = worker(9, {
      results: [
        { year: 2024, result: 'basically_competent' },
        { year: 2025, result: 'basically_competent' },
      ],
    });
    expect(proposeExitCases(rules, [w], AS_OF)).toMatchObject([{ action: 'terminate', dueDate: '2026-03-31' }]);
  });

  it('rejects duplicate keys and a count above 1 for the latest year, in Chinese with the path', () => {
    try {
      parseExitRules({
        ...DEFAULT_EXIT_RULES,
        rules: [
          {
            key: 'a',
            nameZh: '甲',
            kind: 'assessment_result',
            result: 'incompetent',
            count: 2,
            within: 'latest_year',
            action: 'terminate',
          },
          { key: 'a', nameZh: '乙', kind: 'retirement_age' },
        ],
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).details).toEqual({
        issues: [
          { field: 'rules.0.count', message: '仅看最近一年结果时次数须为1' },
          { field: 'rules.1.key', message: '退出规则键名重复' },
        ],
      });
    }
  });

  it('rejects an unknown rule kind', () => {
    expect(() => parseExitRules({ ...DEFAULT_EXIT_RULES, rules: [{ key: 'x', nameZh: 'x', kind: 'bad_luck' }] })).toThrow(/rules\.0\.kind/);
  });
});
