import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import {
  createTestEnv,
  createTestUser,
  createTestWorker,
  loginCookie,
  seedOrgs,
  SMALL_TREE,
  type TestEnv,
} from '../../../test/factories.ts';
import { DEFAULT_ASSESSMENT_TEMPLATE } from './rules/template.ts';

const COMMUNITY = '330106001001';

describeEachDatabase('open-mode ballot limits', (kind) => {
  let env: TestEnv;
  let region: string;
  let street: string;
  let workerId: number;
  // The in-memory burst limit is per process and both databases run in one: keep their IPs apart.
  const ip = (n: number) => `10.${kind === 'sqlite' ? 1 : 2}.0.${n}`;

  beforeEach(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    workerId = (await createTestWorker(env.deps, COMMUNITY, { name: '人员甲' })).id;
    region = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    street = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
  });
  afterEach(async () => env?.close());

  async function openLink(template: unknown): Promise<{ cycleId: number; link: string }> {
    const opened = await env.app.inject({
      method: 'POST',
      url: '/api/v1/assessment/cycles',
      headers: { cookie: region },
      payload: { orgCode: '330106', name: '2026年度考核', year: 2026, template: template as object },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const cycleId = opened.json().id as number;
    const res = await env.app.inject({
      method: 'POST',
      url: `/api/v1/assessment/cycles/${cycleId}/communities/${COMMUNITY}/open`,
      headers: { cookie: street },
      payload: { mode: 'open' },
    });
    expect(res.statusCode, res.body).toBe(200);
    return { cycleId, link: res.json().linkToken as string };
  }

  const vote = (link: string, remoteAddress: string, device?: string) =>
    env.app.inject({
      method: 'POST',
      url: `/api/v1/public/ballots/${link}`,
      remoteAddress,
      headers: device ? { cookie: `sg_ballot_device=${device}` } : {},
      payload: { voterKind: 'ordinary_resident', ratings: [{ workerId, choice: 'satisfied' }] },
    });

  const ballotCount = async (cycleId: number) =>
    (await env.deps.db.kysely.selectFrom('assessment_ballots').select('id').where('cycle_id', '=', cycleId).execute()).length;

  it('refuses a phone that drops its cookie once its IP reaches the cap, and accepts another IP', async () => {
    const { cycleId, link } = await openLink({ ...DEFAULT_ASSESSMENT_TEMPLATE, openModeBallotsPerIp: 3 });
    for (let i = 0; i < 3; i++) expect((await vote(link, ip(1))).statusCode).toBe(201);
    const device = 'phone-that-dropped-its-cookie';
    const refused = await vote(link, ip(1), device);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('投票次数已达上限');
    expect(refused.json().error.details.reason).toBe('ip_limit');
    expect((await vote(link, ip(2))).statusCode).toBe(201);
    expect(await ballotCount(cycleId)).toBe(4);

    // The refused phone was not marked as having voted: from another network it may vote once.
    expect((await vote(link, ip(3), device)).statusCode).toBe(201);
    // The cookie check still holds on its own.
    const again = await vote(link, ip(4), device);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.reason).toBe('device_used');
    expect(await ballotCount(cycleId)).toBe(5);

    // Only HMACs of the IPs are stored, with counts, and nothing that names a ballot.
    const rows = await env.deps.db.kysely.selectFrom('assessment_ballot_ip_counts').selectAll().execute();
    expect(Object.keys(rows[0]!).sort()).toEqual(['ballots', 'community_code', 'cycle_id', 'ip_hash']);
    expect(rows.map((r) => Number(r.ballots)).sort()).toEqual([1, 1, 3]);
    for (const r of rows) expect(r.ip_hash).not.toContain('10.');
  });

  it('defaults to 10 ballots per IP and community', async () => {
    const { openModeBallotsPerIp: _omitted, ...stored } = DEFAULT_ASSESSMENT_TEMPLATE;
    const { cycleId, link } = await openLink(stored);
    for (let i = 0; i < 10; i++) expect((await vote(link, ip(5))).statusCode).toBe(201);
    expect((await vote(link, ip(5))).statusCode).toBe(409);
    expect(await ballotCount(cycleId)).toBe(10);
  });

  it('never lets concurrent ballots from one IP past the cap', async () => {
    const { cycleId, link } = await openLink({ ...DEFAULT_ASSESSMENT_TEMPLATE, openModeBallotsPerIp: 7 });
    const results = await Promise.all(Array.from({ length: 20 }, () => vote(link, ip(6))));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(7);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(13);
    expect(await ballotCount(cycleId)).toBe(7);
    const row = await env.deps.db.kysely.selectFrom('assessment_ballot_ip_counts').select('ballots').executeTakeFirstOrThrow();
    expect(Number(row.ballots)).toBe(7);
  });

  it('rejects a cap below 1 naming the field', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/assessment/cycles',
      headers: { cookie: region },
      payload: { orgCode: '330106', name: '考核', year: 2026, template: { ...DEFAULT_ASSESSMENT_TEMPLATE, openModeBallotsPerIp: 0 } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].field).toBe('template.openModeBallotsPerIp');
  });
});
