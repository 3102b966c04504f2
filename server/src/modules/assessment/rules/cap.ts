import { assignBand, bandRangeZh, vetoExplanationZh, vetoOutcome } from './bands.ts';
import { formatScore, type WorkerScore } from './scoring.ts';
import { BP_100_PERCENT, resultLabel, type AssessmentResult, type AssessmentTemplate } from './template.ts';

/**
 * Places for 优秀 in a cap group of `assessed` people: assessed × shareBp / 10000 rounded as the template
 * says (default down), raised to 1 when `atLeastOne` and anyone is assessed. 12 × 20% = 2.4 → 2; 3 × 20% = 0.6 → 1.
 */
export function excellentCapFor(cap: AssessmentTemplate['excellentCap'], assessed: number): number {
  if (assessed <= 0) return 0;
  const num = assessed * cap.shareBp;
  const floor = (num - (num % BP_100_PERCENT)) / BP_100_PERCENT;
  const rest = num % BP_100_PERCENT;
  let places = floor;
  if (cap.rounding === 'ceil' && rest > 0) places += 1;
  if (cap.rounding === 'half_up' && rest * 2 >= BP_100_PERCENT) places += 1;
  return cap.atLeastOne ? Math.max(1, places) : places;
}

const ROUNDING_ZH = { floor: '向下取整', half_up: '四舍五入', ceil: '向上取整' } as const;

export interface WorkerForDecision {
  workerId: number;
  /** The group the 优秀 cap applies within: the street's org code by default. */
  capGroup: string;
  /** Hundredths; null while a manual decision is pending (then no band is given unless a veto applies). */
  total: number | null;
  /** Rater group scores by key, for the 'break_by_group_scores' tie rule; a missing score ranks lowest. */
  groupScores?: Record<string, number | null>;
  /** Keys of the template's veto items the worker falls under. */
  vetoes?: string[];
}

/**
 * The decision input from a computed score: group scores for tie-breaks, the worker's vetoes, and — for a
 * score that needs a decision — the total a person decided on (hundredths), or null to leave it pending.
 */
export function decisionInputFrom(
  score: WorkerScore,
  capGroup: string,
  options: { vetoes?: string[]; decidedTotal?: number | null } = {},
): WorkerForDecision {
  return {
    workerId: score.workerId,
    capGroup,
    total: score.total ?? options.decidedTotal ?? null,
    groupScores: Object.fromEntries(score.groups.map((g) => [g.key, g.score])),
    vetoes: options.vetoes ?? [],
  };
}

export type DecisionReason =
  | { code: 'veto'; key: string; nameZh: string }
  | { code: 'excellent_cap'; cap: number; rank: number }
  | { code: 'excellent_tie_over_cap'; cap: number; rank: number }
  | { code: 'needs_decision' };

export interface WorkerDecision {
  workerId: number;
  capGroup: string;
  total: number | null;
  /** The band the total falls in (before vetoes and the cap); null without a total. */
  band: AssessmentResult | null;
  /** The grade after vetoes and the cap; null while a decision is pending. */
  finalResult: AssessmentResult | null;
  reasons: DecisionReason[];
  explanationZh: string;
}

/**
 * Decides each worker's grade, in this order:
 * 1. vetoes override everything: the worst veto result, whatever the total (even a missing one);
 * 2. the band of the total;
 * 3. the 优秀 cap within each cap group: the cap counts everyone assessed in the group (vetoed and pending
 *    ones included); the non-vetoed 优秀-band workers are ranked by total, highest first, and the first
 *    `cap` keep 优秀, the rest become 称职 with reason 'excellent_cap'. When equal totals straddle the last
 *    place, the template's tie rule decides: 'demote_all' (default) demotes every one of them, so the cap is
 *    never exceeded and no arbitrary order is used; 'include_all' keeps them all (exceeding the cap, reason
 *    'excellent_tie_over_cap'); 'break_by_group_scores' compares the scores of `tieBreakGroups` in order and
 *    demotes whoever is still tied. Nobody ranked below a straddling tie takes a freed place (a 91 never
 *    passes two demoted 93s), so under 'demote_all' fewer than `cap` may be 优秀. Equal keys share a rank (1, 2, 2, 4).
 * Output is in input order.
 */
export function decideResults(template: AssessmentTemplate, workers: readonly WorkerForDecision[]): WorkerDecision[] {
  const decisions = workers.map((w) => decideBeforeCap(template, w));
  const byGroup = new Map<string, number[]>();
  workers.forEach((w, i) => byGroup.set(w.capGroup, [...(byGroup.get(w.capGroup) ?? []), i]));

  const tieGroups = template.tieRule === 'break_by_group_scores' ? template.tieBreakGroups : [];
  const sortKey = (w: WorkerForDecision): number[] => [w.total ?? -1, ...tieGroups.map((g) => w.groupScores?.[g] ?? -1)];

  for (const indexes of byGroup.values()) {
    const cap = excellentCapFor(template.excellentCap, indexes.length);
    const candidates = indexes
      .filter((i) => decisions[i]!.finalResult === 'excellent')
      .map((i) => ({ i, key: sortKey(workers[i]!) }))
      .sort((a, b) => compareDesc(a.key, b.key) || a.i - b.i);
    const capText = `本组参加考核${indexes.length}人，优秀名额${cap}人（${indexes.length}×${template.excellentCap.shareBp / 100}%，${ROUNDING_ZH[template.excellentCap.rounding]}${template.excellentCap.atLeastOne ? '，至少1人' : ''}）`;

    let placed = 0;
    let closed = false; // once a tie straddles the last place, nobody ranked below may take a place
    let pos = 0;
    while (pos < candidates.length) {
      let end = pos;
      while (end < candidates.length && compareDesc(candidates[end]!.key, candidates[pos]!.key) === 0) end++;
      const tied = candidates.slice(pos, end);
      const rank = pos + 1;
      const fits = !closed && placed + tied.length <= cap;
      const straddles = !fits && !closed && placed < cap;
      const include = fits || (straddles && template.tieRule === 'include_all');
      for (const { i } of tied) {
        const d = decisions[i]!;
        const tieText = tied.length > 1 ? `，与其他${tied.length - 1}人并列` : '';
        if (include) {
          if (!fits) d.reasons.push({ code: 'excellent_tie_over_cap', cap, rank });
          d.explanationZh += `；${capText}，排名第${rank}${tieText}${fits ? '，在名额内，评为优秀' : '，按并列规则均评为优秀（超出名额）'}`;
        } else {
          d.finalResult = 'competent';
          d.reasons.push({ code: 'excellent_cap', cap, rank });
          const why = straddles ? `${tieText}，并列者超出名额，按并列规则均不占优秀名额` : '，超出名额';
          d.explanationZh += `；${capText}，排名第${rank}${why}，调整为${resultLabel('competent')}`;
        }
      }
      if (include) placed += tied.length;
      if (straddles) closed = true;
      pos = end;
    }
  }
  for (const d of decisions) d.explanationZh += '。';
  return decisions;
}

function decideBeforeCap(template: AssessmentTemplate, w: WorkerForDecision): WorkerDecision {
  const band = w.total === null ? null : assignBand(template.bands, w.total);
  const totalText = w.total === null ? '总分暂缺' : `总分${formatScore(w.total)}分`;
  const bandText = band ? `，落入${resultLabel(band)}档（${bandRangeZh(template.bands, band)}）` : '';
  const veto = vetoOutcome(template, w.vetoes ?? []);
  const base = { workerId: w.workerId, capGroup: w.capGroup, total: w.total, band };
  if (veto) {
    return {
      ...base,
      finalResult: veto.result,
      reasons: veto.items.map((v) => ({ code: 'veto' as const, key: v.key, nameZh: v.nameZh })),
      explanationZh: `${totalText}${bandText}；${vetoExplanationZh(veto)}`,
    };
  }
  if (band === null) {
    return { ...base, finalResult: null, reasons: [{ code: 'needs_decision' }], explanationZh: `${totalText}，须人工决定后再评定等次` };
  }
  return { ...base, finalResult: band, reasons: [], explanationZh: `${totalText}${bandText}` };
}

function compareDesc(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const d = (b[k] ?? -1) - (a[k] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
