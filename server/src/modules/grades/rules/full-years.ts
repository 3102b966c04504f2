import { z } from 'zod';

/** A calendar date `YYYY-MM-DD` that exists (no 2023-02-29). */
export const ZIsoDate = z.iso.date();

function parts(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: "${date}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The year of a `YYYY-MM-DD` date. */
export function yearOf(date: string): number {
  return parts(date)[0];
}

/**
 * Full years from `start` to `asOf`, counted like an age (周岁): a year is full on its
 * anniversary, so 2020-03-01 → 2023-02-28 is 2 and → 2023-03-01 is 3. A 02-29 start has its
 * anniversary on 03-01 in common years. Negative when `asOf` is before `start`.
 */
export function fullYearsBetween(start: string, asOf: string): number {
  const [y1, m1, d1] = parts(start);
  const [y2, m2, d2] = parts(asOf);
  let years = y2 - y1;
  if (m2 < m1 || (m2 === m1 && d2 < d1)) years -= 1;
  return years;
}
