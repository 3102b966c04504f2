#!/usr/bin/env node
// `npm start`: builds the web app when it is missing or older than its sources, then runs the
// server (which migrates, creates the first administrator and seeds the demo on first start).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'web', 'dist', 'index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const webSrc = path.join(root, 'web', 'src');
const stale = !fs.existsSync(dist) || (fs.existsSync(webSrc) && newestMtime(webSrc) > fs.statSync(dist).mtimeMs);
if (stale) {
  console.log('Building the web app … / 正在构建前端 …');
  const r = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// A larger young generation: imports and exports churn through short-lived cell objects, and with
// V8's default semi-space (16 MB) a 100k-row workbook spent over a third of its time in scavenges.
const r = spawnSync(process.execPath, ['--max-semi-space-size=64', path.join(root, 'server', 'bin', 'server.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
