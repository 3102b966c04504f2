import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createDeps } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { buildIdNumber } from '../src/lib/id-card.ts';
import { createTestDatabaseUrl, describeEachDatabase, type TestDatabase } from './databases.ts';
import { seedOrgs, SMALL_TREE } from './factories.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'server', 'bin', 'shegong.mjs');

describeEachDatabase('shegong CLI', (kind) => {
  let dataDir: string;
  let target: TestDatabase;
  let env: NodeJS.ProcessEnv;

  const run = (args: string[], input?: string) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, input: input ?? '', encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-cli-'));
    target = await createTestDatabaseUrl(kind);
    env = { ...process.env, SHEGONG_DATA_DIR: dataDir, DATABASE_URL: target.databaseUrl ?? '' };
  });
  afterAll(async () => {
    await target?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints help for every command', () => {
    for (const args of [
      ['--help'],
      ['db', 'migrate', '--help'],
      ['user', 'add', '--help'],
      ['org', 'import', '--help'],
      ['demo', 'seed', '--help'],
      ['audit', 'verify', '--help'],
      ['workers', 'import', '--help'],
    ]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out).toMatch(/Usage: shegong/);
    }
  });

  it('migrates, and a second run changes nothing', () => {
    const first = run(['db', 'migrate']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Applied: 2026112901_foundation|up to date/);
    const second = run(['db', 'migrate']);
    expect(second.code).toBe(0);
    expect(second.out).toContain('Database is up to date.');
  });

  it('adds a user with the password from standard input, who can then sign in', async () => {
    const r = run(['user', 'add', '--username', 'cli.admin', '--role', 'sys_admin', '--org', 'CN'], 'Cli-Strong-Pass-1\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Created user cli.admin');
    const deps = createDeps({ ...loadConfig(env), dataDir });
    try {
      const app = await buildApp(deps);
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'cli.admin', password: 'Cli-Strong-Pass-1' },
      });
      expect(login.statusCode).toBe(200);
      expect(login.json().user).toMatchObject({ role: 'sys_admin', mustChangePassword: false });
      await app.close();
    } finally {
      await deps.db.close();
    }
  });

  it('workers import: a dry run lists row errors and writes the marked copy; --commit imports a clean file', async () => {
    run(['db', 'migrate']);
    const deps = createDeps({ ...loadConfig(env), dataDir });
    try {
      await seedOrgs(deps, SMALL_TREE);
    } finally {
      await deps.db.close();
    }
    const good = buildIdNumber('330106', '1990-03-04', 12, 'F');
    const bad = `${good.slice(0, 17)}${good.at(-1) === '1' ? '2' : '1'}`;
    const file = path.join(dataDir, 'roster.csv');
    fs.writeFileSync(file, `姓名,身份证号,岗位,所属社区\n钱一,${good},网格员,保俶塔社区\n钱二,${bad},网格员,保俶塔社区\n`);
    const dry = run(['workers', 'import', file, '--org', '330106001', '--no-progress']);
    expect(dry.code).toBe(1);
    expect(dry.out).toContain('共 2 行');
    expect(dry.err).toContain('第3行 身份证号：校验位错误');
    expect(fs.existsSync(path.join(dataDir, 'roster-错误标注.xlsx'))).toBe(true);

    fs.writeFileSync(file, `姓名,身份证号,岗位,所属社区\n钱一,${good},网格员,保俶塔社区\n`);
    const dryOk = run(['workers', 'import', file, '--org', '330106001', '--no-progress']);
    expect(dryOk.code).toBe(0);
    expect(dryOk.out).toContain('未导入（演练模式）');
    const commit = run(['workers', 'import', file, '--org', '330106001', '--commit', '--no-progress']);
    expect(commit.err).toBe('');
    expect(commit.code).toBe(0);
    expect(commit.out).toContain('已导入');
    const again = run(['workers', 'import', file, '--org', '330106001', '--commit', '--no-progress']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('已在册跳过 1');
    const check = createDeps({ ...loadConfig(env), dataDir });
    try {
      const n = await check.db.kysely
        .selectFrom('workers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('name', '=', '钱一')
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(1);
    } finally {
      await check.db.close();
    }
    // Four CLI processes (each starting Node and tsx) on a loaded two-core machine.
  }, 180_000);

  it('refuses a weak password, an unknown role and an empty stdin with a clear message', () => {
    const weak = run(['user', 'add', '--username', 'weak.one', '--role', 'auditor', '--org', 'CN'], 'short\n');
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('密码不符合安全要求');
    const role = run(['user', 'add', '--username', 'x.y', '--role', 'king', '--org', 'CN'], 'Cli-Strong-Pass-1\n');
    expect(role.code).not.toBe(0);
    expect(role.err).toMatch(/Allowed choices are sys_admin/);
    const empty = run(['user', 'add', '--username', 'x.z', '--role', 'auditor', '--org', 'CN']);
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('标准输入');
  });

  it('audit verify passes on an intact chain and fails naming the first broken row', async () => {
    const ok = run(['audit', 'verify']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('Audit chain intact');
    const deps = createDeps({ ...loadConfig(env), dataDir });
    try {
      const db = deps.db.kysely;
      if (deps.db.dialect === 'postgres') await sql`drop trigger audit_log_no_update on audit_log`.execute(db);
      else await sql`drop trigger audit_log_no_update`.execute(db);
      await sql`update audit_log set actor_name = 'forged' where seq = 1`.execute(db);
    } finally {
      await deps.db.close();
    }
    const broken = run(['audit', 'verify']);
    expect(broken.code).not.toBe(0);
    expect(broken.err).toContain('BROKEN at seq 1');
  });
});
