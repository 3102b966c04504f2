import { describe, expect, it } from 'vitest';
import { formatScore, roundHalfUpDiv, scoreWorker, type RaterSheet, type WorkerScoringInput } from './scoring.ts';
import { DEFAULT_ASSESSMENT_TEMPLATE, type AssessmentTemplate } from './template.ts';

const T = DEFAULT_ASSESSMENT_TEMPLATE;
const RENORM: AssessmentTemplate = { ...T, missingGroupPolicy: 'renormalise' };

/** A sheet in points (converted to hundredths): political, performance, satisfaction. */
const sheet = (raterId: number, political: number, performance: number, satisfaction: number): RaterSheet => ({
  raterId,
  scores: { political: political * 100, performance: performance * 100, satisfaction: satisfaction * 100 },
});

/*
 * The worked example used below (default weights: dimensions 30/50/20, groups street 30 / peers 10 / residents 60):
 * street, 1 rater: 90, 80, 85 → 0.3×90 + 0.5×80 + 0.2×85 = 27 + 40 + 17 = 84.00
 * peers, 3 raters: means (95+90+85)/3 = 90, (85+80+90)/3 = 85, (90+80+70)/3 = 80 → 27 + 42.5 + 16 = 85.50
 * residents: 40 满意, 8 基本满意, 2 不满意 → (40×100 + 8×60 + 2×0) / 50 = 4480/50 = 89.60
 * total = 0.3×84 + 0.1×85.5 + 0.6×89.6 = 25.2 + 8.55 + 53.76 = 87.51
 */
const example: WorkerScoringInput = {
  workerId: 7,
  sheets: {
    street: [sheet(100, 90, 80, 85)],
    peers: [sheet(1, 95, 85, 90), sheet(2, 90, 80, 80), sheet(3, 85, 90, 70)],
  },
  ballots: { satisfied: 40, basically_satisfied: 8, dissatisfied: 2 },
  turnout: { validBallots: 60, ordinaryResidentBallots: 45 },
};

describe('roundHalfUpDiv', () => {
  it('rounds exactly, half up', () => {
    expect(roundHalfUpDiv(1, 2)).toBe(1); // 0.5 → 1
    expect(roundHalfUpDiv(5, 2)).toBe(3); // 2.5 → 3
    expect(roundHalfUpDiv(10, 4)).toBe(3); // 2.5 → 3
    expect(roundHalfUpDiv(1, 3)).toBe(0); // 0.333 → 0
    expect(roundHalfUpDiv(2, 3)).toBe(1); // 0.667 → 1
    expect(roundHalfUpDiv(0, 7)).toBe(0);
    expect(roundHalfUpDiv(84_999_999, 10_000)).toBe(8500); // 8499.9999 → 8500
    expect(roundHalfUpDiv(84_994_999, 10_000)).toBe(8499); // 8499.4999 → 8499
  });

  it('refuses fractions, negatives and a zero denominator', () => {
    expect(() => roundHalfUpDiv(1.5, 2)).toThrow(RangeError);
    expect(() => roundHalfUpDiv(-1, 2)).toThrow(RangeError);
    expect(() => roundHalfUpDiv(1, 0)).toThrow(RangeError);
  });

  it('formats hundredths as points', () => {
    expect(formatScore(8751)).toBe('87.51');
    expect(formatScore(9000)).toBe('90.00');
    expect(formatScore(5)).toBe('0.05');
    expect(formatScore(10000)).toBe('100.00');
  });
});

describe('scoreWorker', () => {
  it('computes the worked example: 84.00 / 85.50 / 89.60 → 87.51', () => {
    const s = scoreWorker(T, example);
    expect(s.groups.map((g) => [g.key, g.score, g.raters])).toEqual([
      ['street', 8400, 1],
      ['peers', 8550, 3],
      ['residents', 8960, 50],
    ]);
    expect(s.groups[1]!.dimensionMeans).toEqual({ political: 9000, performance: 8500, satisfaction: 8000 });
    expect(s.total).toBe(8751);
    expect(s.status).toBe('computed');
    expect(s.flags).toEqual([]);
    expect(s.quorum).toEqual({ met: true, reasonsZh: [] });
    expect(s.explanationZh).toBe(
      '街道评议84.00分×30%（1人评分）；同事互评85.50分×10%（3人评分）；居民测评89.60分×60%（50票）；总分87.51分。',
    );
  });

  it('computes a group from exact sums, rounding once (83.2667 → 83.27, not 83.26 from rounded means)', () => {
    // political (90+91+90)/3 = 90.333…, performance (80+80+81)/3 = 80.333…, satisfaction 80
    // exact: 0.3×90.333… + 0.5×80.333… + 0.2×80 = 27.1 + 40.1667 + 16 = 83.2667 → 83.27
    // (rounded means 90.33 / 80.33 would give 27.099 + 40.165 + 16 = 83.264 → 83.26)
    const s = scoreWorker(T, {
      ...example,
      sheets: { ...example.sheets, peers: [sheet(1, 90, 80, 80), sheet(2, 91, 80, 80), sheet(3, 90, 81, 80)] },
    });
    expect(s.groups[1]!.score).toBe(8327);
    expect(s.groups[1]!.dimensionMeans).toEqual({ political: 9033, performance: 8033, satisfaction: 8000 });
  });

  it('has no floating-point drift: equal group scores of 84.15 give exactly 84.15', () => {
    // 0.3×84.15 + 0.1×84.15 + 0.6×84.15 in binary floating point is 84.15000000000001;
    // in hundredths: (3000 + 1000 + 6000) × 8415 / 10000 = 8415 exactly
    const flat = { political: 8415, performance: 8415, satisfaction: 8415 };
    const t: AssessmentTemplate = { ...T, ballotPoints: { satisfied: 8415, basically_satisfied: 8415, dissatisfied: 8415 } };
    const s = scoreWorker(t, { ...example, sheets: { street: [{ raterId: 1, scores: flat }], peers: [{ raterId: 2, scores: flat }] } });
    expect(s.groups.map((g) => g.score)).toEqual([8415, 8415, 8415]);
    expect(s.total).toBe(8415);
  });

  it('takes the residents’ score as the mean points of the ballots that rated the worker, half up', () => {
    // 2 满意 + 1 基本满意: (200 + 60) / 3 = 86.666… → 86.67
    const s = scoreWorker(T, { ...example, ballots: { satisfied: 2, basically_satisfied: 1, dissatisfied: 0 } });
    expect(s.groups[2]!.score).toBe(8667);
    // total = (3000×8400 + 1000×8550 + 6000×8667) / 10000 = (25,200,000 + 8,550,000 + 52,002,000) / 10000 = 8575.2 → 85.75
    expect(s.total).toBe(8575);
  });

  it('uses the template’s ballot points (满意 100 / 基本满意 80 / 不满意 0)', () => {
    // (40×100 + 8×80) / 50 = 4640 / 50 = 92.80
    const s = scoreWorker({ ...T, ballotPoints: { satisfied: 10000, basically_satisfied: 8000, dissatisfied: 0 } }, example);
    expect(s.groups[2]!.score).toBe(9280);
  });

  it('ignores a peer rating oneself', () => {
    // the sheet of rater 7 (the worker) is dropped; peers = raters 1 and 2: (95+90)/2, (85+80)/2, (90+80)/2 = 92.5, 82.5, 85
    // 0.3×92.5 + 0.5×82.5 + 0.2×85 = 27.75 + 41.25 + 17 = 86.00
    const s = scoreWorker(T, {
      ...example,
      sheets: { ...example.sheets, peers: [sheet(1, 95, 85, 90), sheet(2, 90, 80, 80), sheet(7, 100, 100, 100)] },
    });
    expect(s.ignoredSelfRatings).toBe(1);
    expect(s.groups[1]!.score).toBe(8600);
    expect(s.groups[1]!.raters).toBe(2);
  });

  it('refuses a sheet without a score for every dimension, or out of range', () => {
    expect(() =>
      scoreWorker(T, { ...example, sheets: { street: [{ raterId: 1, scores: { political: 9000, performance: 8000 } }] } }),
    ).toThrow(RangeError);
    expect(() =>
      scoreWorker(T, {
        ...example,
        sheets: { street: [{ raterId: 1, scores: { political: 9000, performance: 8000, satisfaction: 10001 } }] },
      }),
    ).toThrow(RangeError);
  });
});

describe('scoreWorker with missing groups', () => {
  it("policy 'flag': no peers → total null, needs a decision", () => {
    const s = scoreWorker(T, { ...example, sheets: { street: example.sheets.street! } });
    expect(s.total).toBe(null);
    expect(s.status).toBe('needs_decision');
    expect(s.flags).toEqual(['group_missing']);
    expect(s.missingGroups).toEqual(['peers']);
    expect(s.groups[1]).toMatchObject({ score: null, missingReason: 'no_raters' });
    expect(s.explanationZh).toBe(
      '街道评议84.00分×30%（1人评分）；同事互评（权重10%）缺失：无评分；居民测评89.60分×60%（50票）；总分暂不计算，须人工决定。',
    );
  });

  it("policy 'flag': residents below quorum → flagged, not computed", () => {
    const s = scoreWorker(T, { ...example, turnout: { validBallots: 49, ordinaryResidentBallots: 45 } });
    expect(s.total).toBe(null);
    expect(s.status).toBe('needs_decision');
    expect(s.flags).toEqual(['residents_below_quorum', 'group_missing']);
    expect(s.groups[2]).toMatchObject({ score: null, missingReason: 'below_quorum', raters: 50 });
    expect(s.explanationZh).toContain('有效测评票49张，少于50张');
  });

  it("policy 'renormalise': no peers → weigh street and residents only", () => {
    // (3000×8400 + 6000×8960) / (3000 + 6000) = (25,200,000 + 53,760,000) / 9000 = 8773.33 → 87.73
    const s = scoreWorker(RENORM, { ...example, sheets: { street: example.sheets.street! } });
    expect(s.total).toBe(8773);
    expect(s.status).toBe('computed');
    expect(s.flags).toEqual(['group_missing', 'weights_renormalised']);
    expect(s.explanationZh).toMatch(/总分87\.73分（缺失评议组按现有评议组权重折算）。$/);
  });

  it("policy 'renormalise': residents below quorum → street and peers only, rounding 84.375 half up", () => {
    // (3000×8400 + 1000×8550) / 4000 = (25,200,000 + 8,550,000) / 4000 = 8437.5 → 84.38
    const s = scoreWorker(RENORM, { ...example, turnout: { validBallots: 60, ordinaryResidentBallots: 41 } });
    expect(s.total).toBe(8438);
    expect(s.flags).toEqual(['residents_below_quorum', 'group_missing', 'weights_renormalised']);
  });

  it("policy 'renormalise' with no group at all still needs a decision", () => {
    const s = scoreWorker(RENORM, { workerId: 7, sheets: {}, turnout: { validBallots: 0, ordinaryResidentBallots: 0 } });
    expect(s.total).toBe(null);
    expect(s.status).toBe('needs_decision');
    expect(s.missingGroups).toEqual(['street', 'peers', 'residents']);
  });

  it('treats fewer raters than minRaters as missing', () => {
    const t: AssessmentTemplate = { ...T, raterGroups: T.raterGroups.map((g) => (g.key === 'peers' ? { ...g, minRaters: 4 } : g)) };
    const s = scoreWorker(t, example);
    expect(s.groups[1]).toMatchObject({ score: null, raters: 3, missingReason: 'too_few_raters' });
    expect(s.total).toBe(null);
  });

  it('treats a worker nobody rated on a valid ballot as missing residents (quorum met)', () => {
    const s = scoreWorker(T, { ...example, ballots: { satisfied: 0, basically_satisfied: 0, dissatisfied: 0 } });
    expect(s.groups[2]).toMatchObject({ score: null, missingReason: 'no_raters' });
    expect(s.flags).toEqual(['group_missing']);
  });
});
