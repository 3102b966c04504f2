import { resultLabel, resultRank, type AssessmentResult, type AssessmentTemplate, type Band, type VetoItem } from './template.ts';
import { formatScore } from './scoring.ts';

/** The grade whose band holds `total` (hundredths): the best band with `total ≥ minScore`. Bands are validated best first. */
export function assignBand(bands: readonly Band[], total: number): AssessmentResult {
  for (const band of bands) if (total >= band.minScore) return band.result;
  return 'incompetent';
}

/** The band's range as people read it: '≥90.00分', '70.00–89.99分'. */
export function bandRangeZh(bands: readonly Band[], result: AssessmentResult): string {
  const i = bands.findIndex((b) => b.result === result);
  const band = bands[i];
  if (!band) return '';
  const above = bands[i - 1];
  if (!above) return `≥${formatScore(band.minScore)}分`;
  return `${formatScore(band.minScore)}–${formatScore(above.minScore - 1)}分`;
}

export interface VetoOutcome {
  /** The worst result among the items that apply. */
  result: AssessmentResult;
  items: VetoItem[];
}

/**
 * The outcome of the veto items (一票否决) a worker falls under, or null when none applies. A veto key
 * the template does not define is a programming error and throws, so a veto can never be dropped silently.
 */
export function vetoOutcome(template: Pick<AssessmentTemplate, 'vetoItems'>, vetoKeys: readonly string[]): VetoOutcome | null {
  const items: VetoItem[] = [];
  for (const key of new Set(vetoKeys)) {
    const item = template.vetoItems.find((v) => v.key === key);
    if (!item) throw new RangeError(`veto item ${key} is not defined by the template`);
    items.push(item);
  }
  if (items.length === 0) return null;
  const result = items.reduce<AssessmentResult>(
    (worst, v) => (resultRank(v.result) > resultRank(worst) ? v.result : worst),
    items[0]!.result,
  );
  return { result, items };
}

/** '年度内受到党纪政务处分' → '因“年度内受到党纪政务处分”一票否决，考核等次为不称职'. */
export function vetoExplanationZh(outcome: VetoOutcome): string {
  const names = outcome.items.map((v) => `“${v.nameZh}”`).join('、');
  return `因${names}一票否决，考核等次为${resultLabel(outcome.result)}`;
}
