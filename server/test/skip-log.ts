import { appendFileSync } from 'node:fs';

/**
 * Print a loud `SKIPPED: …` line, and record it in $SHEGONG_SKIP_LOG (set by scripts/test.mjs, which
 * repeats these lines in its closing summary so a skipped suite cannot go unnoticed).
 */
export function reportSkipped(line: string): void {
  const bar = '!'.repeat(Math.min(100, line.length));
  console.warn(`\n${bar}\n${line}\n${bar}\n`);
  const log = process.env.SHEGONG_SKIP_LOG;
  if (log) {
    try {
      appendFileSync(log, line + '\n');
    } catch {
      // the summary is a convenience; the loud line above is what matters
    }
  }
}

/** True when every suite must really run (CI): a missing PostgreSQL or Chromium is then a failure. */
export function requireAll(): boolean {
  return process.env.SHEGONG_REQUIRE_ALL === '1';
}
