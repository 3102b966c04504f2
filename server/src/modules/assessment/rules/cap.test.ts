import { describe, expect, it } from 'vitest';
import { decideResults, decisionInputFrom, excellentCapFor, type WorkerForDecision } from './cap.ts';
import { scoreWorker } from './scoring.ts';
import { DEFAULT_ASSESSMENT_TEMPLATE, type AssessmentTemplate, type TieRule } from './template.ts';

const T = DEFAULT_ASSESSMENT_TEMPLATE;
const withTie = (tieRule: TieRule): AssessmentTemplate => ({ ...T, tieRule });

describe('excellentCapFor (20% of those assessed)', () => {
  const cap = T.excellentCap;
  it.each([
    [12, 2], // 12 × 20% = 2.4 → 2
    [10, 2], // 2.0
    [14, 2], // 2.8 → 2 (floor)
    [15, 3], // 3.0
    [5, 1], // 1.0
    [4, 1], // 0.8 → 0, raised to the minimum of 1
    [1, 1], // 0.2 → 0 → 1
    [0, 0], // nobody assessed, no place
  ])('floor with at least one: %i assessed → %i places', (n, places) => {
    expect(excellentCapFor(cap, n)).toBe(places);
  });

  it('other rounding rules', () => {
    expect(excellentCapFor({ ...cap, atLeastOne: false }, 4)).toBe(0); // 0.8 → 0
    expect(excellentCapFor({ ...cap, rounding: 'half_up' }, 12)).toBe(2); // 2.4 → 2
    expect(excellentCapFor({ ...cap, rounding: 'half_up' }, 13)).toBe(3); // 2.6 → 3
    expect(excellentCapFor({ ...cap, rounding: 'half_up', atLeastOne: false }, 2)).toBe(0); // 0.4 → 0
    expect(excellentCapFor({ ...cap, rounding: 'half_up', atLeastOne: false }, 3)).toBe(1); // 0.6 → 1
    expect(excellentCapFor({ ...cap, rounding: 'half_up' }, 5 * 5 - 2)).toBe(5); // 23 × 20% = 4.6 → 5
    expect(excellentCapFor({ ...cap, rounding: 'ceil' }, 11)).toBe(3); // 2.2 → 3
    expect(excellentCapFor({ ...cap, rounding: 'ceil' }, 10)).toBe(2); // 2.0 → 2
    expect(excellentCapFor({ ...cap, shareBp: 1500 }, 20)).toBe(3); // 15% of 20 = 3
  });
});

/*
 * Street A, 10 assessed → 2 places for 优秀 (10 × 20%).
 * 优秀-band totals: w1 95.00, w2 93.00, w3 93.00, w4 91.00; w10 92.00 but vetoed.
 * Ranking without w10: w1 (1), w2 and w3 tied (2), w4 (4). The tie at 93.00 straddles the last place.
 */
const streetA: WorkerForDecision[] = [
  { workerId: 1, capGroup: 'A', total: 9500, groupScores: { residents: 9600, street: 9000 } },
  { workerId: 2, capGroup: 'A', total: 9300, groupScores: { residents: 9500, street: 8800 } },
  { workerId: 3, capGroup: 'A', total: 9300, groupScores: { residents: 9400, street: 9500 } },
  { workerId: 4, capGroup: 'A', total: 9100, groupScores: { residents: 9000, street: 9000 } },
  { workerId: 5, capGroup: 'A', total: 8800 },
  { workerId: 6, capGroup: 'A', total: 8000 },
  { workerId: 7, capGroup: 'A', total: 7500 },
  { workerId: 8, capGroup: 'A', total: 6500 },
  { workerId: 9, capGroup: 'A', total: 5500 },
  { workerId: 10, capGroup: 'A', total: 9200, vetoes: ['disciplinary_sanction'] },
];
const finals = (template: AssessmentTemplate, workers = streetA) =>
  Object.fromEntries(decideResults(template, workers).map((d) => [d.workerId, d.finalResult]));

describe('decideResults: bands, vetoes and the 优秀 cap', () => {
  it("tie rule 'demote_all' (default): both workers tied at the cut-off lose 优秀; the cap is not exceeded", () => {
    expect(finals(T)).toEqual({
      1: 'excellent',
      2: 'competent',
      3: 'competent',
      4: 'competent',
      5: 'competent',
      6: 'competent',
      7: 'competent',
      8: 'basically_competent',
      9: 'incompetent',
      10: 'incompetent',
    });
    const d = decideResults(T, streetA);
    expect(d[1]).toMatchObject({ band: 'excellent', reasons: [{ code: 'excellent_cap', cap: 2, rank: 2 }] });
    expect(d[2]!.reasons).toEqual([{ code: 'excellent_cap', cap: 2, rank: 2 }]);
    expect(d[3]!.reasons).toEqual([{ code: 'excellent_cap', cap: 2, rank: 4 }]);
    expect(d[1]!.explanationZh).toBe(
      '总分93.00分，落入优秀档（≥90.00分）；本组参加考核10人，优秀名额2人（10×20%，向下取整，至少1人），排名第2，与其他1人并列，并列者超出名额，按并列规则均不占优秀名额，调整为称职。',
    );
    expect(d[0]!.explanationZh).toBe(
      '总分95.00分，落入优秀档（≥90.00分）；本组参加考核10人，优秀名额2人（10×20%，向下取整，至少1人），排名第1，在名额内，评为优秀。',
    );
    expect(d[3]!.explanationZh).toContain('排名第4，超出名额，调整为称职');
  });

  it("tie rule 'include_all': both tied workers keep 优秀 (3 > cap 2, recorded), the next is demoted", () => {
    expect(finals(withTie('include_all'))).toMatchObject({ 1: 'excellent', 2: 'excellent', 3: 'excellent', 4: 'competent' });
    const d = decideResults(withTie('include_all'), streetA);
    expect(d[1]!.reasons).toEqual([{ code: 'excellent_tie_over_cap', cap: 2, rank: 2 }]);
    expect(d[1]!.explanationZh).toContain('按并列规则均评为优秀（超出名额）');
    expect(d[3]!.reasons).toEqual([{ code: 'excellent_cap', cap: 2, rank: 4 }]);
  });

  it("tie rule 'break_by_group_scores' (residents, then street): w2's residents 95.00 beats w3's 94.00", () => {
    const t: AssessmentTemplate = { ...withTie('break_by_group_scores'), tieBreakGroups: ['residents', 'street'] };
    expect(finals(t)).toMatchObject({ 1: 'excellent', 2: 'excellent', 3: 'competent', 4: 'competent' });
    const d = decideResults(t, streetA);
    expect(d[2]!.reasons).toEqual([{ code: 'excellent_cap', cap: 2, rank: 3 }]);
  });

  it("tie rule 'break_by_group_scores' (street first): w3's street 95.00 beats w2's 88.00", () => {
    const t: AssessmentTemplate = { ...withTie('break_by_group_scores'), tieBreakGroups: ['street', 'residents'] };
    expect(finals(t)).toMatchObject({ 2: 'competent', 3: 'excellent' });
  });

  it("tie rule 'break_by_group_scores': still tied on every group → all demoted", () => {
    const t: AssessmentTemplate = { ...withTie('break_by_group_scores'), tieBreakGroups: ['residents'] };
    const same = streetA.map((w) => (w.workerId === 3 ? { ...w, groupScores: { residents: 9500, street: 1 } } : w));
    expect(finals(t, same)).toMatchObject({ 1: 'excellent', 2: 'competent', 3: 'competent' });
  });

  it('keeps everyone tied when the tie fits within the cap', () => {
    // 10 assessed, 2 places; w1 and w2 tied at 95.00 fill both places exactly
    const workers = streetA.map((w) => (w.workerId === 2 ? { ...w, total: 9500 } : w));
    expect(finals(T, workers)).toMatchObject({ 1: 'excellent', 2: 'excellent', 3: 'competent', 4: 'competent' });
  });

  it('demotes a whole tie at the top when it alone exceeds the cap (default rule: nobody is 优秀)', () => {
    // 5 assessed → 1 place; two tied at 96.00
    const workers: WorkerForDecision[] = [9600, 9600, 8000, 7000, 6000].map((total, i) => ({ workerId: i + 1, capGroup: 'B', total }));
    expect(finals(T, workers)).toEqual({ 1: 'competent', 2: 'competent', 3: 'competent', 4: 'competent', 5: 'basically_competent' });
  });

  it('applies the cap within each street separately', () => {
    // street B: 5 assessed → 1 place (96 in, 94 and 91 out); street C: 2 assessed → 1 place (0.4 → 0, raised to 1)
    const workers: WorkerForDecision[] = [
      { workerId: 11, capGroup: 'B', total: 9400 },
      { workerId: 12, capGroup: 'B', total: 9600 },
      { workerId: 13, capGroup: 'B', total: 9100 },
      { workerId: 14, capGroup: 'B', total: 8000 },
      { workerId: 15, capGroup: 'B', total: 7000 },
      { workerId: 21, capGroup: 'C', total: 9000 },
      { workerId: 22, capGroup: 'C', total: 9900 },
    ];
    const d = decideResults(T, workers);
    expect(d.map((x) => x.workerId)).toEqual([11, 12, 13, 14, 15, 21, 22]); // input order kept
    expect(d.map((x) => x.finalResult)).toEqual([
      'competent',
      'excellent',
      'competent',
      'competent',
      'competent',
      'competent',
      'excellent',
    ]);
    expect(d[0]!.reasons).toEqual([{ code: 'excellent_cap', cap: 1, rank: 2 }]);
    expect(d[2]!.reasons).toEqual([{ code: 'excellent_cap', cap: 1, rank: 3 }]);
  });

  it('lets a veto override any total, and a vetoed worker takes no 优秀 place', () => {
    const d = decideResults(T, streetA);
    expect(d[9]).toMatchObject({
      total: 9200,
      band: 'excellent',
      finalResult: 'incompetent',
      reasons: [{ code: 'veto', key: 'disciplinary_sanction', nameZh: '年度内受到党纪政务处分' }],
      explanationZh: '总分92.00分，落入优秀档（≥90.00分）；因“年度内受到党纪政务处分”一票否决，考核等次为不称职。',
    });
  });

  it('decides a veto even without a total, and leaves other missing totals pending', () => {
    const workers: WorkerForDecision[] = [
      { workerId: 1, capGroup: 'D', total: null, vetoes: ['criminal_liability'] },
      { workerId: 2, capGroup: 'D', total: null },
      { workerId: 3, capGroup: 'D', total: 9100 },
    ];
    const d = decideResults(T, workers);
    expect(d[0]).toMatchObject({ band: null, finalResult: 'incompetent' });
    expect(d[1]).toMatchObject({
      band: null,
      finalResult: null,
      reasons: [{ code: 'needs_decision' }],
      explanationZh: '总分暂缺，须人工决定后再评定等次。',
    });
    // 3 assessed (pending and vetoed included) → 0.6 → 0, raised to 1 place
    expect(d[2]).toMatchObject({ finalResult: 'excellent', reasons: [] });
  });

  it('gives plain bands when nobody is in the 优秀 band', () => {
    const d = decideResults(T, [
      { workerId: 1, capGroup: 'E', total: 8999 },
      { workerId: 2, capGroup: 'E', total: 6999 },
    ]);
    expect(d.map((x) => x.finalResult)).toEqual(['competent', 'basically_competent']);
    expect(d[0]!.explanationZh).toBe('总分89.99分，落入称职档（70.00–89.99分）。');
  });
});

describe('decisionInputFrom', () => {
  const input = {
    workerId: 5,
    sheets: { street: [{ raterId: 1, scores: { political: 9000, performance: 9000, satisfaction: 9000 } }] },
    ballots: { satisfied: 50, basically_satisfied: 0, dissatisfied: 0 },
    turnout: { validBallots: 50, ordinaryResidentBallots: 40 },
  };

  it('carries the total and group scores of a computed score', () => {
    // renormalised over street 90.00 and residents 100.00: (3000×9000 + 6000×10000) / 9000 = 9666.67 → 96.67
    const score = scoreWorker({ ...T, missingGroupPolicy: 'renormalise' }, input);
    expect(decisionInputFrom(score, 'A', { vetoes: ['disciplinary_sanction'] })).toEqual({
      workerId: 5,
      capGroup: 'A',
      total: 9667,
      groupScores: { street: 9000, peers: null, residents: 10000 },
      vetoes: ['disciplinary_sanction'],
    });
  });

  it('takes the decided total for a score that needed a decision', () => {
    const score = scoreWorker(T, input); // peers missing → needs a decision
    expect(decisionInputFrom(score, 'A').total).toBe(null);
    expect(decisionInputFrom(score, 'A', { decidedTotal: 8800 }).total).toBe(8800);
  });
});
