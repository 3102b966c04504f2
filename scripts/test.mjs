#!/usr/bin/env node
// `npm test`: every suite, in order, stopping at the first failure.
//   1. server  — `npx vitest run` in server/ (unit + integration; SQLite and PostgreSQL)
//   2. web-unit — `npx vitest run` in web/ (client helpers, dictionaries)
//   3. web     — `npm run build -w web` when web/dist/index.html is missing or older than web/src (or
//                web/index.html, web/public, web/vite.config.ts, web/package.json)
//   4. e2e     — `npx vitest run` in e2e/ (Chromium against the real server)
// Output is streamed; at the end a summary line per suite and one closing line `N passed, N failed`
// (`, N skipped` appended when tests were skipped), summed from Vitest's JSON reporter.
//
// `node scripts/test.mjs server` (or `e2e`, `web`) runs only the named steps.
// Suites needing PostgreSQL / Chromium skip loudly (`SKIPPED: …`) when these are absent, and fail
// instead when SHEGONG_REQUIRE_ALL=1 (as .ci/run sets).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shegong-test-'));
const skipLog = path.join(tmp, 'skipped.txt');

/** @type {{name: string, kind: 'vitest' | 'build', dir?: string}[]} */
const STEPS = [
  { name: 'server', kind: 'vitest', dir: 'server' },
  { name: 'web-unit', kind: 'vitest', dir: 'web' },
  { name: 'web', kind: 'build' },
  { name: 'e2e', kind: 'vitest', dir: 'e2e' },
];

const wanted = process.argv.slice(2);
for (const w of wanted) {
  if (!STEPS.some((s) => s.name === w)) {
    console.error(`unknown suite "${w}"; known: ${STEPS.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
}
const steps = wanted.length ? STEPS.filter((s) => wanted.includes(s.name)) : STEPS;

// Ctrl-C reaches the children through the terminal's process group; wait for them to clean up
// (stop the PostgreSQL cluster, the browser, the server) instead of dying first.
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    interrupted = true;
  });
}

function run(cmd, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd,
      stdio: ['inherit', 'inherit', 'inherit'],
      env: { ...process.env, SHEGONG_SKIP_LOG: skipLog },
    });
    child.on('error', (err) => {
      console.error(`could not run ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 1) : 1)));
  });
}

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

function counts(c) {
  return `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`;
}

async function runVitest(step) {
  const out = path.join(tmp, `${step.name}.json`);
  const code = await run(
    'npx',
    ['vitest', 'run', '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile=${out}`],
    path.join(root, step.dir),
  );
  const c = { passed: 0, failed: 0, skipped: 0 };
  let haveReport = false;
  try {
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    c.passed = report.numPassedTests ?? 0;
    c.failed = report.numFailedTests ?? 0;
    c.skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    haveReport = true;
  } catch {
    // Vitest died before reporting (e.g. a global setup failure); the exit code tells.
  }
  const ok = code === 0 && c.failed === 0;
  let detail = counts(c);
  if (!haveReport) detail += ' (no test report)';
  if (!ok && c.failed === 0) detail += ` (vitest exited with code ${code})`;
  return { ok, counts: c, detail, code: ok ? 0 : code || 1 };
}

async function buildWeb() {
  const web = path.join(root, 'web');
  const dist = path.join(web, 'dist', 'index.html');
  if (!fs.existsSync(path.join(web, 'index.html'))) {
    return { ok: true, detail: 'nothing to build yet (no web/index.html)', code: 0 };
  }
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json']
    .map((p) => path.join(web, p))
    .filter((p) => fs.existsSync(p));
  const stale = !fs.existsSync(dist) || Math.max(...sources.map(newestMtime)) > fs.statSync(dist).mtimeMs;
  if (!stale) return { ok: true, detail: 'up to date', code: 0 };
  const code = await run('npm', ['run', 'build', '-w', 'web'], root);
  return { ok: code === 0, detail: code === 0 ? 'built' : `build failed (exit code ${code})`, code };
}

const results = [];
let exitCode = 0;
for (const step of steps) {
  if (interrupted) break;
  console.log(`\n━━━ ${step.name} ${'━'.repeat(60)}\n`);
  const started = Date.now();
  const res = step.kind === 'vitest' ? await runVitest(step) : await buildWeb();
  results.push({ step, ...res, ms: Date.now() - started });
  if (!res.ok || interrupted) {
    exitCode = interrupted ? 130 : res.code || 1;
    break;
  }
}

const total = { passed: 0, failed: 0, skipped: 0 };
console.log(`\n━━━ summary ${'━'.repeat(60)}`);
for (const step of steps) {
  const r = results.find((x) => x.step === step);
  if (!r) {
    console.log(`  ${step.name.padEnd(7)} NOT RUN`);
    continue;
  }
  if (r.counts) for (const k of Object.keys(total)) total[k] += r.counts[k];
  const status = r.ok ? (step.kind === 'build' ? 'OK  ' : 'PASS') : 'FAIL';
  console.log(`  ${step.name.padEnd(7)} ${status}  ${r.detail}  (${seconds(r.ms)})`);
}
let skippedLines = [];
try {
  skippedLines = [...new Set(fs.readFileSync(skipLog, 'utf8').split('\n').filter(Boolean))];
} catch {
  // nothing skipped
}
for (const line of skippedLines) console.log(`  ${line}`);
if (interrupted) console.log('  interrupted');
console.log(counts(total));

fs.rmSync(tmp, { recursive: true, force: true });
process.exit(exitCode);
