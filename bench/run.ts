/**
 * Runs every `*.bench.ts` in this folder, each in its own Node process (so one bench's memory and
 * open handles cannot skew the next), in name order. Arguments narrow the selection to the files
 * whose name contains one of them: `npm run bench -- org`.
 *
 * Benches print one JSON line per measurement on stdout, e.g.
 * `{"bench":"org.import.nation","db":"sqlite","rows":665276,"ms":6234}`, and notes on stderr.
 * Exits non-zero when a bench fails.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((a) => f.includes(a)))
  .sort();

if (files.length === 0) {
  console.error(`No *.bench.ts in ${dir}${filters.length ? ` matching ${filters.join(', ')}` : ''}.`);
  process.exitCode = 1;
}

const failed: string[] = [];
for (const file of files) {
  console.error(`# ${file}`);
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    // The same V8 young-generation size as `npm start` and the CLI (see scripts/start.mjs).
    const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', path.join(dir, file)], {
      stdio: 'inherit',
      cwd: dir,
    });
    child.on('exit', (c, signal) => resolve(signal ? 128 : c));
    child.on('error', () => resolve(1));
  });
  console.error(`# ${file}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (code !== 0) failed.push(file);
}
if (failed.length) process.exitCode = 1;
