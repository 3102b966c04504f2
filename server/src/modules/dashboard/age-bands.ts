/** Age bands of the workforce-structure chart. */
export const AGE_BANDS = ['<30', '30-39', '40-49', '50-59', '≥60'] as const;

export function ageBandOf(age: number): (typeof AGE_BANDS)[number] {
  if (age < 30) return '<30';
  if (age < 40) return '30-39';
  if (age < 50) return '40-49';
  if (age < 60) return '50-59';
  return '≥60';
}
