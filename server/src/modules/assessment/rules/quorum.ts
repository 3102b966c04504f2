import type { QuorumRule } from './template.ts';

/** A community's ballot turnout once the ballot closes. */
export interface BallotTurnout {
  validBallots: number;
  /** Ballots whose voter declared themselves an ordinary resident (普通居民). */
  ordinaryResidentBallots: number;
}

export interface QuorumCheck {
  met: boolean;
  reasonsZh: string[];
}

/**
 * Whether a community's residents' panel is valid: at least `minBallots` valid ballots, and ordinary
 * residents' ballots at least `minOrdinaryShareBp` of them (compared exactly: ordinary × 10000 ≥ valid × share).
 * Both conditions are checked and every failure is reported.
 */
export function checkQuorum(rule: QuorumRule, turnout: BallotTurnout): QuorumCheck {
  const reasonsZh: string[] = [];
  const { validBallots: valid, ordinaryResidentBallots: ordinary } = turnout;
  if (valid < rule.minBallots) reasonsZh.push(`有效测评票${valid}张，少于${rule.minBallots}张`);
  if (valid === 0) {
    if (rule.minOrdinaryShareBp > 0) reasonsZh.push('无有效测评票，普通居民占比无法计算');
  } else if (ordinary * 10_000 < valid * rule.minOrdinaryShareBp) {
    const sharePct = Math.floor((ordinary * 1000) / valid) / 10;
    reasonsZh.push(`普通居民测评票${ordinary}张，占${sharePct}%，低于${rule.minOrdinaryShareBp / 100}%`);
  }
  return { met: reasonsZh.length === 0, reasonsZh };
}
