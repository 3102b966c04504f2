/** Age bands of the workforce-structure chart. */
export const AGE_BANDS = ['<30', '30-39', '40-49', '50-59', '≥60'] as const;

export function ageBandOf(age: number): (typeof AGE_BANDS)[number] {
  if (age < 30) return '<30';
  if (age < 40) return '30-39';
  if (age < 50) return '40-49';
  if (age < 60) return '50-59';
  return '≥60';
}

/** Lower ages of the bands (null for the youngest, which has none). */
export const AGE_BAND_STARTS: Record<(typeof AGE_BANDS)[number], number | null> = {
  '<30': null,
  '30-39': 30,
  '40-49': 40,
  '50-59': 50,
  '≥60': 60,
};

/** `YYYY-MM-DD` of `today` minus whole years (the worker list uses the same arithmetic). */
export function yearsBefore(today: string, years: number): string {
  return `${String(Number(today.slice(0, 4)) - years).padStart(4, '0')}${today.slice(4)}`;
}
