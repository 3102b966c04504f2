import type { FieldIssue } from '../../../lib/errors.ts';
import { SANCTION_KINDS, type SanctionKind } from '../../exits/rules/exit-rules.ts';

export { SANCTION_KINDS, type SanctionKind };
export const SANCTION_KIND_CODES = SANCTION_KINDS.map((k) => k.code) as [SanctionKind, ...SanctionKind[]];

export const SANCTION_STATUSES = [
  { code: 'in_force', label: '有效', labelEn: 'In force' },
  { code: 'revoked', label: '已撤销', labelEn: 'Revoked' },
] as const;
export type SanctionStatus = (typeof SANCTION_STATUSES)[number]['code'];

export function sanctionKindLabel(kind: string): string {
  return SANCTION_KINDS.find((k) => k.code === kind)?.label ?? kind;
}

export function sanctionStatusLabel(status: string): string {
  return SANCTION_STATUSES.find((s) => s.code === status)?.label ?? status;
}

/**
 * The date rules of a new sanction: the decision cannot lie after `today` (a register records decisions
 * already taken), and the influence period (影响期) cannot end before the decision. Returns the first
 * problem as a field issue with a Chinese message naming the field, or null.
 */
export function checkSanctionDates(input: { decidedOn: string; endsOn?: string | null | undefined }, today: string): FieldIssue | null {
  if (input.decidedOn > today) {
    return {
      field: 'decidedOn',
      message: `处分决定日期：${input.decidedOn}晚于今天，不能登记尚未作出的处分`,
      messageEn: 'decidedOn: in the future',
    };
  }
  if (input.endsOn && input.endsOn < input.decidedOn) {
    return {
      field: 'endsOn',
      message: `影响期截止日期：${input.endsOn}早于处分决定日期${input.decidedOn}`,
      messageEn: 'endsOn: before decidedOn',
    };
  }
  return null;
}

/** Whether a sanction still weighs on the worker on `on`: in force and within its influence period (open-ended without one). */
export function isInInfluencePeriod(s: { status: string; endsOn: string | null }, on: string): boolean {
  return s.status === 'in_force' && (s.endsOn === null || s.endsOn >= on);
}

/** The calendar period of an assessment year, as decision dates: the veto 「年度内受到处分」 counts sanctions decided in it. */
export function assessmentYearPeriod(year: number): { from: string; to: string } {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

export interface SanctionForVeto {
  id: number;
  workerId: number;
  kind: SanctionKind;
  decidedOn: string;
  documentNo: string | null;
}

export interface RegisterVeto {
  /** Keys of the template's veto items the sanctions fall under. */
  keys: string[];
  sanctionIds: number[];
  /** '处分登记：2026-03-01 记过（西湖纪〔2026〕3号）' — why the veto applies, for the result's explanation. */
  noteZh: string;
}

/** Veto item keys a sanction of this kind falls under, most specific first (a template may define only some). */
const VETO_KEYS_BY_KIND: Partial<Record<SanctionKind, readonly string[]>> = {
  criminal_liability: ['criminal_liability', 'disciplinary_sanction'],
};
const DEFAULT_VETO_KEYS = ['disciplinary_sanction'] as const;

/**
 * The veto items (一票否决) that in-force sanctions of an assessment period trigger, per worker: every
 * sanction kind is a 党纪政务处分 (veto `disciplinary_sanction`); criminal liability takes the
 * `criminal_liability` item where the template defines it. Sanctions whose keys the template lacks
 * trigger nothing. Workers without a veto are absent from the map.
 */
export function vetoesFromSanctions(sanctions: readonly SanctionForVeto[], templateVetoKeys: readonly string[]): Map<number, RegisterVeto> {
  const out = new Map<number, RegisterVeto>();
  const ordered = [...sanctions].sort((a, b) => a.decidedOn.localeCompare(b.decidedOn) || a.id - b.id);
  for (const s of ordered) {
    const key = (VETO_KEYS_BY_KIND[s.kind] ?? DEFAULT_VETO_KEYS).find((k) => templateVetoKeys.includes(k));
    if (!key) continue;
    const entry = out.get(s.workerId) ?? { keys: [], sanctionIds: [], noteZh: '' };
    if (!entry.keys.includes(key)) entry.keys.push(key);
    entry.sanctionIds.push(s.id);
    const text = `${s.decidedOn} ${sanctionKindLabel(s.kind)}${s.documentNo ? `（${s.documentNo}）` : ''}`;
    entry.noteZh = entry.noteZh ? `${entry.noteZh}、${text}` : `处分登记：${text}`;
    out.set(s.workerId, entry);
  }
  return out;
}
