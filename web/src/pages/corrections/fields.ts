import { useCallback } from 'react';
import { useEnumLabels } from '../../api/meta';
import type { CorrectionStatus, EnumKind, Worker } from '../../api/types';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/zh-CN';

export type CorrectionInputKind = { type: 'text'; max: number } | { type: 'phone' } | { type: 'date' } | { type: 'enum'; kind: EnumKind };

/** The fields a worker may ask to correct, as the server allows them (corrections.schema.ts), in display order. */
export const CORRECTABLE_FIELDS: { field: string; input: CorrectionInputKind }[] = [
  { field: 'formerName', input: { type: 'text', max: 50 } },
  { field: 'phone', input: { type: 'phone' } },
  { field: 'address', input: { type: 'text', max: 200 } },
  { field: 'hukou', input: { type: 'text', max: 200 } },
  { field: 'emergencyContactName', input: { type: 'text', max: 50 } },
  { field: 'emergencyContactPhone', input: { type: 'phone' } },
  { field: 'ethnicity', input: { type: 'enum', kind: 'ethnicities' } },
  { field: 'politicalStatus', input: { type: 'enum', kind: 'politicalStatuses' } },
  { field: 'partyJoinDate', input: { type: 'date' } },
  { field: 'education', input: { type: 'enum', kind: 'educations' } },
  { field: 'educationMode', input: { type: 'enum', kind: 'educationModes' } },
  { field: 'school', input: { type: 'text', max: 100 } },
  { field: 'major', input: { type: 'text', max: 100 } },
  { field: 'qualificationLevel', input: { type: 'enum', kind: 'qualificationLevels' } },
  { field: 'certificateNo', input: { type: 'text', max: 50 } },
  { field: 'certificateDate', input: { type: 'date' } },
];

const INPUTS = new Map(CORRECTABLE_FIELDS.map((f) => [f.field, f.input]));

/** What the record shows for a field now (phone numbers masked). */
export function currentValue(w: Worker, field: string): string | null {
  if (field === 'phone') return w.phoneMasked;
  if (field === 'emergencyContactPhone') return w.emergencyContactPhoneMasked;
  return ((w as unknown as Record<string, unknown>)[field] as string | null | undefined) ?? null;
}

/** The label of a field and the display of one of its values (coded values by their names). */
export function useCorrectionFormat() {
  const t = useT();
  const { label } = useEnumLabels();
  const fieldLabel = useCallback((field: string) => t(`worker.${field}` as MessageKey), [t]);
  const value = useCallback(
    (field: string, v: string | null | undefined) => {
      if (v === null || v === undefined || v === '') return '—';
      const input = INPUTS.get(field);
      return input?.type === 'enum' ? label(input.kind, v) : v;
    },
    [label],
  );
  const status = useCallback((s: CorrectionStatus) => t(`correction.status.${s}` as MessageKey), [t]);
  return { fieldLabel, value, status };
}

export const STATUS_COLORS: Record<CorrectionStatus, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
};
