import { BALLOT_CHOICE_CODES, BP_100_PERCENT, type AssessmentTemplate, type BallotChoice } from './template.ts';
import { checkQuorum, type BallotTurnout, type QuorumCheck } from './quorum.ts';

/**
 * `num / den` rounded half up to an integer, exactly (no floating-point division of fractions).
 * Both must be non-negative safe integers and `den` positive.
 */
export function roundHalfUpDiv(num: number, den: number): number {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num < 0 || den <= 0) {
    throw new RangeError(`roundHalfUpDiv needs non-negative safe integers, got ${num}/${den}`);
  }
  const twice = 2 * num + den;
  const divisor = 2 * den;
  return (twice - (twice % divisor)) / divisor;
}

/** A score in hundredths as the text people read: 8750 → '87.50'. */
export function formatScore(score: number): string {
  return `${Math.floor(score / 100)}.${String(score % 100).padStart(2, '0')}`;
}

/** One rater's sheet for one worker: a score (hundredths, 0..10000) for every dimension of the template. */
export interface RaterSheet {
  raterId: number;
  scores: Record<string, number>;
}

/** Ballots that rated this worker, counted per choice (only valid ballots of the closed ballot). */
export type BallotCounts = Record<BallotChoice, number>;

export interface WorkerScoringInput {
  workerId: number;
  /** Sheets per sheet-sourced rater group key. A sheet whose rater is the worker is ignored (no self-rating). */
  sheets: Record<string, RaterSheet[]>;
  /** Choices residents made for this worker. */
  ballots?: BallotCounts;
  /** The whole community's turnout, for the quorum of the residents' group. */
  turnout?: BallotTurnout;
}

export interface GroupScore {
  key: string;
  nameZh: string;
  weightBp: number;
  /** Raters counted (sheets) or ballots that rated this worker (residents). */
  raters: number;
  /** Hundredths, rounded half up; null when the group is missing. */
  score: number | null;
  /** Sheet groups only: mean per dimension, hundredths rounded half up (for display; the score uses exact sums). */
  dimensionMeans?: Record<string, number>;
  missingReason?: 'no_raters' | 'too_few_raters' | 'below_quorum';
}

export type ScoringFlag = 'group_missing' | 'residents_below_quorum' | 'weights_renormalised';

export interface WorkerScore {
  workerId: number;
  groups: GroupScore[];
  /** Hundredths; null when status is 'needs_decision'. */
  total: number | null;
  status: 'computed' | 'needs_decision';
  flags: ScoringFlag[];
  missingGroups: string[];
  ignoredSelfRatings: number;
  quorum?: QuorumCheck;
  explanationZh: string;
}

/**
 * Scores one worker. The combination is defined so a person can redo it by hand:
 * 1. a sheet group's score = Σ_dimensions weight × (mean of its raters' scores on that dimension),
 *    computed from exact sums as Σ_raters Σ_dims (weightBp × score) / (raters × 10000), rounded half up once;
 * 2. the residents' group score = mean points of the ballots that rated the worker
 *    (Σ count × points / Σ count, rounded half up once) — a ballot carries one overall choice, so
 *    dimensions do not apply to it; the group is missing when the community's quorum is not met;
 * 3. total = Σ_groups weightBp × group score / 10000 from the rounded group scores (the published numbers),
 *    rounded half up once.
 * A missing group (no raters, fewer than `minRaters`, or residents below quorum) under policy 'flag' leaves
 * the total null with status 'needs_decision'; under 'renormalise' the total is Σ w×s / Σ w over present
 * groups and flagged 'weights_renormalised'. With no group present the status is always 'needs_decision'.
 * Throws a RangeError when a sheet lacks a dimension or holds a score outside 0..10000 (validate sheets at the edge).
 */
export function scoreWorker(template: AssessmentTemplate, input: WorkerScoringInput): WorkerScore {
  const flags = new Set<ScoringFlag>();
  const groups: GroupScore[] = [];
  let ignoredSelfRatings = 0;
  let quorum: QuorumCheck | undefined;

  for (const group of template.raterGroups) {
    const base = { key: group.key, nameZh: group.nameZh, weightBp: group.weightBp };
    if (group.source === 'sheet') {
      const all = input.sheets[group.key] ?? [];
      const sheets = all.filter((s) => s.raterId !== input.workerId);
      ignoredSelfRatings += all.length - sheets.length;
      if (sheets.length < group.minRaters) {
        groups.push({ ...base, raters: sheets.length, score: null, missingReason: sheets.length === 0 ? 'no_raters' : 'too_few_raters' });
        continue;
      }
      let num = 0;
      const dimensionMeans: Record<string, number> = {};
      for (const dim of template.dimensions) {
        let dimSum = 0;
        for (const sheet of sheets) {
          const s = sheet.scores[dim.key];
          if (s === undefined || !Number.isInteger(s) || s < 0 || s > 10_000) {
            throw new RangeError(`sheet of rater ${sheet.raterId} for worker ${input.workerId}: bad score for ${dim.key}`);
          }
          dimSum += s;
        }
        dimensionMeans[dim.key] = roundHalfUpDiv(dimSum, sheets.length);
        num += dim.weightBp * dimSum;
      }
      groups.push({ ...base, raters: sheets.length, score: roundHalfUpDiv(num, sheets.length * BP_100_PERCENT), dimensionMeans });
    } else {
      const counts = input.ballots ?? { satisfied: 0, basically_satisfied: 0, dissatisfied: 0 };
      const n = BALLOT_CHOICE_CODES.reduce((s, c) => s + counts[c], 0);
      quorum = checkQuorum(template.quorum, input.turnout ?? { validBallots: 0, ordinaryResidentBallots: 0 });
      if (!quorum.met) {
        flags.add('residents_below_quorum');
        groups.push({ ...base, raters: n, score: null, missingReason: 'below_quorum' });
        continue;
      }
      if (n < group.minRaters) {
        groups.push({ ...base, raters: n, score: null, missingReason: n === 0 ? 'no_raters' : 'too_few_raters' });
        continue;
      }
      const num = BALLOT_CHOICE_CODES.reduce((s, c) => s + counts[c] * template.ballotPoints[c], 0);
      groups.push({ ...base, raters: n, score: roundHalfUpDiv(num, n) });
    }
  }

  const present = groups.filter((g): g is GroupScore & { score: number } => g.score !== null);
  const missingGroups = groups.filter((g) => g.score === null).map((g) => g.key);
  if (missingGroups.length > 0) flags.add('group_missing');

  let total: number | null = null;
  if (missingGroups.length === 0) {
    total = roundHalfUpDiv(
      present.reduce((s, g) => s + g.weightBp * g.score, 0),
      BP_100_PERCENT,
    );
  } else if (template.missingGroupPolicy === 'renormalise' && present.length > 0) {
    const den = present.reduce((s, g) => s + g.weightBp, 0);
    if (den > 0) {
      total = roundHalfUpDiv(
        present.reduce((s, g) => s + g.weightBp * g.score, 0),
        den,
      );
      flags.add('weights_renormalised');
    }
  }

  const result: WorkerScore = {
    workerId: input.workerId,
    groups,
    total,
    status: total === null ? 'needs_decision' : 'computed',
    flags: [...flags],
    missingGroups,
    ignoredSelfRatings,
    explanationZh: '',
    ...(quorum ? { quorum } : {}),
  };
  result.explanationZh = explainScore(result);
  return result;
}

const MISSING_REASON_ZH = { no_raters: '无评分', too_few_raters: '评分人数不足', below_quorum: '测评票未达法定要求' } as const;

function explainScore(s: WorkerScore): string {
  const parts = s.groups.map((g) =>
    g.score === null
      ? `${g.nameZh}（权重${g.weightBp / 100}%）缺失：${MISSING_REASON_ZH[g.missingReason ?? 'no_raters']}`
      : `${g.nameZh}${formatScore(g.score)}分×${g.weightBp / 100}%（${g.raters}${g.dimensionMeans ? '人评分' : '票'}）`,
  );
  const quorumText = s.quorum && !s.quorum.met ? `；${s.quorum.reasonsZh.join('；')}` : '';
  if (s.total === null) return `${parts.join('；')}${quorumText}；总分暂不计算，须人工决定。`;
  const how = s.flags.includes('weights_renormalised') ? '（缺失评议组按现有评议组权重折算）' : '';
  return `${parts.join('；')}${quorumText}；总分${formatScore(s.total)}分${how}。`;
}
