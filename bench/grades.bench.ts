/**
 * Grading and promotion runs at city scale (issue 4: "a promotion run over a city must be chunked
 * and quick"): N workers (default 50,000) in the communities of one city on SQLite; an initial
 * grading run previewed and approved, three years of results, then a promotion run previewed and
 * approved. Each step is timed through the product's own service functions.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareDatabase } from '../server/src/bootstrap.ts';
import { loadConfig } from '../server/src/config.ts';
import { systemContext, type Deps } from '../server/src/context.ts';
import { openDatabase } from '../server/src/db/database.ts';
import { createDataCipher } from '../server/src/lib/crypto.ts';
import { approveGradeRun, createGradeRun } from '../server/src/modules/grades/grades.service.ts';

const WORKERS = Number(process.env.BENCH_GRADE_WORKERS ?? 50_000);
const POSTS = ['full_time_staff', 'grid_worker', 'committee_member', 'party_secretary', 'deputy_director'];
const RESULTS = ['competent', 'competent', 'excellent', 'competent', 'basically_competent', 'incompetent', 'competent'];

function emit(line: Record<string, unknown>) {
  console.log(JSON.stringify(line));
}

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await fn();
  emit({ bench: `grades.${name}`, db: 'sqlite', workers: WORKERS, ms: Math.round(performance.now() - t) });
  return out;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bench-grades-'));
const db = openDatabase({ sqliteFile: path.join(dir, 'bench.db') });
const deps: Deps = { db, cipher: createDataCipher(randomBytes(32)), config: { ...loadConfig({}), dataDir: dir } };
try {
  await prepareDatabase(deps);
  const sqlite = db.sqlite!;
  const now = new Date().toISOString();
  const org = sqlite.prepare('insert into orgs (code, parent_code, level, name, created_at, updated_at) values (?, ?, ?, ?, ?, ?)');
  const communities: string[] = [];
  sqlite.transaction(() => {
    org.run('33', 'CN', 1, '浙江省', now, now);
    org.run('3301', '33', 2, '杭州市', now, now);
    for (let d = 1; d <= 5; d++) {
      const district = `3301${String(d).padStart(2, '0')}`;
      org.run(district, '3301', 3, `区${d}`, now, now);
      for (let s = 1; s <= 10; s++) {
        const street = `${district}${String(s).padStart(3, '0')}`;
        org.run(street, district, 4, `街道${s}`, now, now);
        for (let c = 1; c <= 10; c++) {
          const community = `${street}${String(c).padStart(3, '0')}`;
          org.run(community, street, 5, `社区${c}`, now, now);
          communities.push(community);
        }
      }
    }
  })();
  const worker = sqlite.prepare(
    `insert into workers (name, id_number_enc, id_number_hash, id_number_masked, gender, birth_date, org_code, post, status, education,
       work_start_date, created_at, updated_at) values (?, 'v1:bench', ?, '330***', 'F', '1988-05-01', ?, ?, 'active', ?, ?, ?, ?)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < WORKERS; i++) {
      const start = `${2005 + (i % 18)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
      worker.run(
        `人员${i}`,
        `bench-${i}`,
        communities[i % communities.length],
        POSTS[i % POSTS.length],
        i % 3 ? '20' : '30',
        start,
        now,
        now,
      );
    }
  })();
  const ctx = systemContext(deps, 'bench');
  const initial = await timed('initial.preview', () =>
    createGradeRun(ctx, { orgCode: '3301', kind: 'initial', effectiveDate: '2024-01-01' }),
  );
  emit({ bench: 'grades.initial.counts', ...initial.counts });
  await timed('initial.approve', () => approveGradeRun(ctx, initial.id));
  const result = sqlite.prepare(
    `insert into assessment_results (worker_id, org_code, year, result, source, created_at, updated_at)
     select id, org_code, ?, ?, 'manual', ?, ? from workers where id % 7 = ?`,
  );
  sqlite.transaction(() => {
    for (const year of [2024, 2025, 2026]) for (let k = 0; k < 7; k++) result.run(year, RESULTS[(k + year) % 7], now, now, k);
  })();
  const promotion = await timed('promotion.preview', () => createGradeRun(ctx, { orgCode: '3301', kind: 'promotion', runYear: 2027 }));
  emit({ bench: 'grades.promotion.counts', ...promotion.counts });
  await timed('promotion.approve', () => approveGradeRun(ctx, promotion.id));
} finally {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
