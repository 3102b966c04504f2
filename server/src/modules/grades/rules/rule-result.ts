/**
 * The outcome of a pure rule computation for one worker. Batch runs (grading, promotion,
 * payroll) store a failure as a per-worker reason instead of a silent zero.
 */
export type RuleResult<T> = { ok: true; value: T } | { ok: false; reason: RuleFailure };

export interface RuleFailure {
  /** Stable string code, e.g. `band_not_in_pay_table`. */
  code: string;
  /** What went wrong for this worker, in Chinese, naming the missing rule or value. */
  messageZh: string;
  /** The values involved, for the run report. */
  details?: Record<string, unknown>;
}

export function ok<T>(value: T): RuleResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: string, messageZh: string, details?: Record<string, unknown>): RuleResult<T> {
  return { ok: false, reason: details ? { code, messageZh, details } : { code, messageZh } };
}
