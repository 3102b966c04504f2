import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type App } from '../src/app.ts';
import { prepareDatabase } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { systemContext, type Deps } from '../src/context.ts';
import { openDatabase } from '../src/db/database.ts';
import { createDataCipher } from '../src/lib/crypto.ts';
import { buildIdNumber } from '../src/lib/id-card.ts';
import { hashPassword } from '../src/lib/password.ts';
import { levelOfCode, NATION_CODE } from '../src/lib/scope.ts';
import { nowIso } from '../src/lib/time.ts';
import type { Role } from '../src/modules/meta/enums.ts';
import { createTestDatabaseUrl, type TestDbKind } from './databases.ts';

export interface TestEnv {
  deps: Deps;
  app: App;
  close(): Promise<void>;
}

/** A fresh, migrated database of the given kind (its own file or PostgreSQL database) and the app on it. */
export async function createTestEnv(kind: TestDbKind): Promise<TestEnv> {
  const target = await createTestDatabaseUrl(kind);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-test-'));
  const config = { ...loadConfig({}), dataDir, databaseUrl: target.databaseUrl, webDist: path.join(dataDir, 'no-web') };
  const db = openDatabase({ databaseUrl: target.databaseUrl, sqliteFile: target.sqliteFile, poolSize: 4 });
  const deps: Deps = { db, cipher: createDataCipher(randomBytes(32)), config };
  await prepareDatabase(deps);
  const app = await buildApp(deps);
  return {
    deps,
    app,
    async close() {
      await app.close();
      await db.close();
      await target.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Inserts org nodes (parents derived from the codes; missing ancestors must be listed too). */
export async function seedOrgs(deps: Deps, rows: { code: string; name: string; population?: number; households?: number }[]) {
  const now = nowIso();
  for (const r of rows) {
    const level = levelOfCode(r.code);
    if (level === null) throw new Error(`bad code ${r.code}`);
    const parent = level === 1 ? NATION_CODE : r.code.slice(0, [0, 0, 2, 4, 6, 9][level]);
    await deps.db.kysely
      .insertInto('orgs')
      .values({
        code: r.code,
        parent_code: parent,
        level,
        name: r.name,
        population: r.population ?? null,
        households: r.households ?? null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}

/** A small tree: 浙江 › 杭州 › 西湖区 › two streets › two communities each; plus 滨江区 › one street › one community. */
export const SMALL_TREE = [
  { code: '33', name: '浙江省' },
  { code: '3301', name: '杭州市' },
  { code: '330106', name: '西湖区' },
  { code: '330106001', name: '北山街道' },
  { code: '330106001001', name: '保俶塔社区', population: 8000, households: 3000 },
  { code: '330106001002', name: '西湖社区', population: 6000, households: 2200 },
  { code: '330106002', name: '西溪街道' },
  { code: '330106002001', name: '文鼎苑社区', population: 10000, households: 3600 },
  { code: '330108', name: '滨江区' },
  { code: '330108001', name: '西兴街道' },
  { code: '330108001001', name: '江滨社区', population: 12000, households: 4100 },
];

export const TEST_PASSWORD = 'Test-Passw0rd!';
let userSeq = 0;

/** A user who has already changed the initial password. */
export async function createTestUser(
  deps: Deps,
  role: Role,
  orgCode: string,
  opts: { username?: string; workerId?: number; mustChangePassword?: boolean } = {},
) {
  const username = opts.username ?? `${role.replace('_', '')}${++userSeq}${randomBytes(2).toString('hex')}`;
  const now = nowIso();
  const r = await deps.db.kysely
    .insertInto('users')
    .values({
      username,
      display_name: `测试${role}`,
      password_hash: await hashPassword(TEST_PASSWORD),
      role,
      org_code: orgCode,
      worker_id: opts.workerId ?? null,
      must_change_password: opts.mustChangePassword ? 1 : 0,
      is_disabled: 0,
      failed_logins: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(r.id), username, password: TEST_PASSWORD };
}

/** Signs in through the API and returns the Cookie header to send. */
export async function loginCookie(app: App, username: string, password = TEST_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'sg_session');
  if (!c) throw new Error('no session cookie');
  return `sg_session=${c.value}`;
}

let idSeq = 100;
/** A valid, unique ID number. */
export function testIdNumber(gender: 'M' | 'F' = 'F', birthDate = '1990-05-17'): string {
  idSeq += 2;
  return buildIdNumber('330106', birthDate, idSeq, gender);
}

/** Registers a worker directly through the service, as the system. */
export async function createTestWorker(deps: Deps, orgCode: string, overrides: Record<string, unknown> = {}) {
  const { createWorker } = await import('../src/modules/workers/workers.service.ts');
  return createWorker(systemContext(deps, 'test'), {
    name: '测试人员',
    idNumber: testIdNumber(),
    orgCode,
    post: 'full_time_staff',
    status: 'active',
    ...overrides,
  } as Parameters<typeof createWorker>[1]);
}

/** `YYYY-MM-DD` of today (UTC) plus `days`, for dates relative to the day the test runs. */
export function testDate(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Gives a worker a current grade in the national 三岗十八级 scheme, written directly as if an
 * earlier run had set it (tests of grades and pay start from a known grade).
 */
export async function createTestGrade(
  deps: Deps,
  workerId: number,
  grade: { band: string; level: number; orgCode: string; lastStepDate?: string; source?: string },
) {
  const scheme = await deps.db.kysely.selectFrom('grade_schemes').select('id').where('region_code', '=', 'CN').executeTakeFirstOrThrow();
  const date = grade.lastStepDate ?? '2026-01-01';
  await deps.db.kysely
    .insertInto('worker_grades')
    .values({
      worker_id: workerId,
      org_code: grade.orgCode,
      scheme_id: Number(scheme.id),
      band: grade.band,
      level: grade.level,
      effective_date: date,
      last_step_date: date,
      early_steps_used: 0,
      source: grade.source ?? 'manual',
      run_id: null,
      explanation: JSON.stringify({ textZh: '测试数据' }),
      is_current: 1,
      created_by: null,
      created_at: nowIso(),
    })
    .execute();
}

/** Signs a labour contract directly through the service, as the system (fixed-term, 3 years from `startDate` by default). */
export async function createTestContract(deps: Deps, workerId: number, overrides: Record<string, unknown> = {}) {
  const { signContract } = await import('../src/modules/contracts/contracts.service.ts');
  const startDate = (overrides.startDate as string | undefined) ?? testDate(-30);
  return signContract(systemContext(deps, 'test'), workerId, {
    contractType: 'fixed_term',
    startDate,
    endDate: testDate(3 * 365),
    ...overrides,
  } as Parameters<typeof signContract>[2]);
}
