import QRCode from 'qrcode';
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
import { castBallotKysely } from './ballots.repo.ts';
import { DEFAULT_ASSESSMENT_TEMPLATE } from './rules/template.ts';

const TEMPLATE = {
  ...DEFAULT_ASSESSMENT_TEMPLATE,
  quorum: { minBallots: 3, minOrdinaryShareBp: 5000 },
  missingGroupPolicy: 'renormalise' as const,
};

const SCORES = (n: number) => ({ political: n, performance: n, satisfaction: n });

describeEachDatabase('assessment cycles', (kind) => {
  let env: TestEnv;
  let c: Record<string, string>;
  let w: Record<string, number>;

  const call = async (
    who: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await env.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...(who === 'public' ? {} : { cookie: c[who]! }), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return res;
  };

  beforeEach(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    w = {};
    for (const [key, org] of [
      ['a', '330106001001'],
      ['b', '330106001001'],
      ['c', '330106001001'],
      ['d', '330106001002'],
      ['e', '330106001002'],
      ['f', '330106002001'],
      ['out', '330108001001'],
    ] as const) {
      w[key] = (await createTestWorker(env.deps, org, { name: `人员${key.toUpperCase()}` })).id;
    }
    const users: [string, Parameters<typeof createTestUser>[1], string, number?][] = [
      ['region', 'region_admin', '330106'],
      ['regionOut', 'region_admin', '330108'],
      ['street1', 'street_hr', '330106001'],
      ['street2', 'street_hr', '330106002'],
      ['streetOut', 'street_hr', '330108001'],
      ['lead1', 'community_lead', '330106001001'],
      ['lead2', 'community_lead', '330106001002'],
      ['lead3', 'community_lead', '330106002001'],
      ['workerA', 'worker', '330106001001', w.a],
      ['workerB', 'worker', '330106001001', w.b],
    ];
    c = {};
    for (const [key, role, org, workerId] of users) {
      const u = await createTestUser(env.deps, role, org, workerId ? { workerId } : {});
      c[key] = await loginCookie(env.app, u.username);
    }
  });
  afterEach(async () => env?.close());

  async function openCycle(template: unknown = TEMPLATE, publicityDays = 0) {
    const res = await call('region', 'POST', '/assessment/cycles', {
      orgCode: '330106',
      name: '2026年度考核',
      year: 2026,
      template,
      publicityDays,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  }

  async function issueCodes(cycleId: number, community: string, count: number, who = 'street1') {
    const res = await call(who, 'POST', `/assessment/cycles/${cycleId}/communities/${community}/ballot-codes`, { count });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().codes as string[];
  }

  it('runs a whole cycle from opening to finalisation', async () => {
    // Opening: template errors name the field in Chinese.
    const bad = await call('region', 'POST', '/assessment/cycles', {
      orgCode: '330106',
      name: '坏模板',
      year: 2026,
      template: { ...TEMPLATE, raterGroups: TEMPLATE.raterGroups.map((g) => ({ ...g, weightBp: 1000 })) },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].field).toBe('template.raterGroups');
    expect(bad.json().error.message).toContain('评议组权重之和须为100%');
    expect((await call('street1', 'POST', '/assessment/cycles', { orgCode: '330106001', name: 'x', year: 2026 })).statusCode).toBe(403);
    const id = await openCycle(TEMPLATE, 5);
    const cycle = (await call('street1', 'GET', `/assessment/cycles/${id}`)).json();
    expect(cycle.participantCount).toBe(5);
    expect((await call('region', 'GET', `/assessment/cycles/${id}`)).json().participantCount).toBe(6);

    // Out of scope: another district sees nothing.
    expect((await call('regionOut', 'GET', `/assessment/cycles/${id}`)).statusCode).toBe(404);
    expect((await call('streetOut', 'GET', `/assessment/cycles/${id}/communities`)).statusCode).toBe(404);
    expect((await call('streetOut', 'GET', '/assessment/cycles')).json().items).toEqual([]);

    // Street sheets.
    const sheet = (await call('street1', 'GET', `/assessment/cycles/${id}/sheet?group=street`)).json();
    expect(sheet.rows.map((r: { name: string }) => r.name).sort()).toEqual(['人员A', '人员B', '人员C', '人员D', '人员E']);
    const scoreOf: Record<string, number> = { a: 9500, b: 9400, c: 9600, d: 8000, e: 7000 };
    const save = await call('street1', 'PUT', `/assessment/cycles/${id}/sheet`, {
      group: 'street',
      entries: ['a', 'b', 'c', 'd', 'e'].map((k) => ({ workerId: w[k], scores: SCORES(scoreOf[k]!) })),
    });
    expect(save.statusCode, save.body).toBe(200);
    expect(
      (await call('street1', 'PUT', `/assessment/cycles/${id}/sheet`, { group: 'street', entries: [{ workerId: w.f, scores: SCORES(1) }] }))
        .statusCode,
    ).toBe(400);
    await call('street2', 'PUT', `/assessment/cycles/${id}/sheet`, { group: 'street', entries: [{ workerId: w.f, scores: SCORES(8800) }] });

    // Peers: a worker rates the colleagues of their community, never themselves.
    const peers = (await call('workerA', 'GET', `/assessment/cycles/${id}/sheet?group=peers`)).json();
    expect(peers.rows.map((r: { workerId: number }) => r.workerId).sort()).toEqual([w.b, w.c].sort());
    const self = await call('workerA', 'PUT', `/assessment/cycles/${id}/sheet`, {
      group: 'peers',
      entries: [{ workerId: w.a, scores: SCORES(10000) }],
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.message).toContain('不能给自己评分');
    expect((await call('workerA', 'GET', `/assessment/cycles/${id}/sheet?group=street`)).statusCode).toBe(403);
    await call('workerA', 'PUT', `/assessment/cycles/${id}/sheet`, {
      group: 'peers',
      entries: [
        { workerId: w.b, scores: SCORES(9000) },
        { workerId: w.c, scores: SCORES(9000) },
      ],
    });
    await call('workerB', 'PUT', `/assessment/cycles/${id}/sheet`, { group: 'peers', entries: [{ workerId: w.a, scores: SCORES(9800) }] });

    // Ballots, codes mode in 保俶塔社区.
    const codes = await issueCodes(id, '330106001001', 5);
    expect(codes).toHaveLength(5);
    expect((await call('lead1', 'POST', `/assessment/cycles/${id}/communities/330106001001/open`, { mode: 'codes' })).statusCode).toBe(403);
    expect((await call('street1', 'POST', `/assessment/cycles/${id}/communities/330106001001/open`, { mode: 'codes' })).statusCode).toBe(
      200,
    );
    const page = await call('public', 'GET', `/public/ballots/${codes[0]}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().workers).toHaveLength(3);
    expect(page.body).not.toMatch(/idNumber|phone|330106199/);
    const vote = (choice: string, kindOf = 'ordinary_resident', comment?: string) => ({
      voterKind: kindOf,
      ratings: [
        { workerId: w.a, choice },
        { workerId: w.b, choice: 'satisfied' },
        { workerId: w.c, choice: 'basically_satisfied' },
      ],
      ...(comment ? { comment } : {}),
    });
    const first = await call(
      'public',
      'POST',
      `/public/ballots/${codes[0]}`,
      vote('satisfied', 'ordinary_resident', '张主任很好，电话13812345678'),
    );
    expect(first.statusCode, first.body).toBe(201);
    const replay = await call('public', 'POST', `/public/ballots/${codes[0]!.replaceAll('-', '').toLowerCase()}`, vote('dissatisfied'));
    expect(replay.statusCode).toBe(409);
    expect(replay.json().error.message).toBe('该测评码已经投过票，每个测评码只能使用一次');
    expect((await call('public', 'GET', `/public/ballots/${codes[0]}`)).json().used).toBe(true);
    expect(
      (
        await call('public', 'POST', `/public/ballots/${codes[1]}`, {
          ...vote('satisfied'),
          ratings: [{ workerId: w.f, choice: 'satisfied' }],
        })
      ).statusCode,
    ).toBe(400);
    expect((await call('public', 'GET', '/public/ballots/ZZZZ-ZZZZ-ZZZZ')).statusCode).toBe(404);
    for (const code of codes.slice(1, 4)) {
      expect(
        (
          await call(
            'public',
            'POST',
            `/public/ballots/${code}`,
            vote('satisfied', code === codes[3] ? 'resident_representative' : 'ordinary_resident'),
          )
        ).statusCode,
      ).toBe(201);
    }
    // Live counts for the street; per-worker figures stay hidden until the ballot closes.
    const live = (await call('street1', 'GET', `/assessment/cycles/${id}/communities`)).json();
    const bct = live.find((x: { communityCode: string }) => x.communityCode === '330106001001');
    expect(bct).toMatchObject({ ballots: 4, ordinaryResidentBallots: 3, codesIssued: 5, codesUsed: 4, ballotStatus: 'open' });
    expect((await call('street1', 'GET', `/assessment/cycles/${id}/communities/330106001001/tally`)).statusCode).toBe(409);

    // Open mode in 西湖社区: one ballot per device.
    const opened = await call('street1', 'POST', `/assessment/cycles/${id}/communities/330106001002/open`, { mode: 'open' });
    expect(opened.statusCode, opened.body).toBe(200);
    const link = opened.json().linkToken as string;
    const landing = await call('public', 'GET', `/public/ballots/${link}`);
    const device = landing.cookies.find((x) => x.name === 'sg_ballot_device')!.value;
    const openVote = { voterKind: 'ordinary_resident', ratings: [{ workerId: w.d, choice: 'satisfied' }] };
    expect((await call('public', 'POST', `/public/ballots/${link}`, openVote, { cookie: `sg_ballot_device=${device}` })).statusCode).toBe(
      201,
    );
    const again = await call('public', 'POST', `/public/ballots/${link}`, openVote, { cookie: `sg_ballot_device=${device}` });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('本设备已参加过本次测评');
    expect((await call('public', 'POST', `/public/ballots/${link}`, openVote)).statusCode).toBe(201);

    // Closing; a ballot after closing is refused.
    for (const [who, code] of [
      ['street1', '330106001001'],
      ['street1', '330106001002'],
    ] as const) {
      expect((await call(who, 'POST', `/assessment/cycles/${id}/communities/${code}/close`)).statusCode).toBe(200);
    }
    await issueCodes(id, '330106002001', 1, 'street2');
    await call('street2', 'POST', `/assessment/cycles/${id}/communities/330106002001/open`, { mode: 'codes' });
    await call('street2', 'POST', `/assessment/cycles/${id}/communities/330106002001/close`);
    const late = await call('public', 'POST', `/public/ballots/${codes[4]}`, vote('satisfied'));
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toBe('本次满意度测评已结束，不再接受投票');
    const tally = (await call('street1', 'GET', `/assessment/cycles/${id}/communities/330106001001/tally`)).json();
    expect(tally).toMatchObject({ validBallots: 4, ordinaryResidentBallots: 3, quorumMet: true });
    expect(tally.workers.find((x: { workerId: number }) => x.workerId === w.a)).toMatchObject({ satisfied: 4, dissatisfied: 0 });
    expect(tally.comments).toEqual(['张主任很好，电话138****5678']);

    // Veto by the street, then computation by the region.
    const veto = await call('street1', 'PATCH', `/assessment/cycles/${id}/participants/${w.c}`, { vetoes: ['disciplinary_sanction'] });
    expect(veto.statusCode, veto.body).toBe(200);
    expect((await call('streetOut', 'PATCH', `/assessment/cycles/${id}/participants/${w.c}`, { vetoes: [] })).statusCode).toBe(404);
    expect((await call('street1', 'POST', `/assessment/cycles/${id}/compute`)).statusCode).toBe(403);
    const computed = await call('region', 'POST', `/assessment/cycles/${id}/compute`);
    expect(computed.statusCode, computed.body).toBe(200);
    const results = computed.json() as { workerId: number; finalResult: string; flags: string[]; total: number; explanation: string }[];
    const byId = new Map(results.map((r) => [r.workerId, r]));
    expect(byId.get(w.c!)!.finalResult).toBe('incompetent');
    expect(byId.get(w.c!)!.explanation).toContain('一票否决');
    expect(byId.get(w.d!)!.flags).toContain('residents_below_quorum');
    expect(byId.get(w.a!)!.finalResult).toBe('excellent');
    // 北山街道 has 5 assessed: one 优秀 place; B (also ≥90) is capped to 称职.
    expect(byId.get(w.b!)!.finalResult).toBe('competent');
    expect(byId.get(w.b!)!.explanation).toContain('优秀名额');

    // Workers see nothing before publicity.
    expect((await call('workerA', 'GET', `/assessment/cycles/${id}/results`)).json()).toEqual([]);

    // Approval up the tree.
    const early = await call('street1', 'POST', `/assessment/cycles/${id}/approvals`, { orgCode: '330106001' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('下级尚未审核');
    expect((await call('lead1', 'POST', `/assessment/cycles/${id}/approvals`, { orgCode: '330106001002' })).statusCode).toBe(404);
    for (const [who, org] of [
      ['lead1', '330106001001'],
      ['lead2', '330106001002'],
      ['lead3', '330106002001'],
      ['street1', '330106001'],
      ['street2', '330106002'],
    ] as const) {
      const r = await call(who, 'POST', `/assessment/cycles/${id}/approvals`, { orgCode: org });
      expect(r.statusCode, `${who} ${r.body}`).toBe(200);
    }
    expect((await call('region', 'POST', `/assessment/cycles/${id}/approvals`, { orgCode: '330106' })).statusCode).toBe(200);
    expect((await call('region', 'GET', `/assessment/cycles/${id}`)).json().status).toBe('publicity');

    // Publicity: the worker sees their own result only, and appeals.
    const mine = (await call('workerA', 'GET', `/assessment/cycles/${id}/results`)).json();
    expect(mine.map((r: { workerId: number }) => r.workerId)).toEqual([w.a]);
    const my = (await call('workerA', 'GET', '/assessment/my-results')).json();
    expect(my[0].result.finalResult).toBe('excellent');
    const appeal = await call('workerB', 'POST', `/assessment/cycles/${id}/appeals`, { text: '我认为应评为优秀' });
    expect(appeal.statusCode, appeal.body).toBe(201);
    await env.deps.db.kysely
      .updateTable('assessment_cycles')
      .set({ publicity_until: '2020-01-01T00:00:00.000Z' })
      .where('id', '=', id)
      .execute();
    const early2 = await call('region', 'POST', `/assessment/cycles/${id}/finalise`);
    expect(early2.statusCode).toBe(409);
    expect(early2.json().error.message).toContain('申诉');
    await env.deps.db.kysely
      .updateTable('assessment_cycles')
      .set({ publicity_until: '2099-01-01T00:00:00.000Z' })
      .where('id', '=', id)
      .execute();
    const resolved = await call('street1', 'POST', `/assessment/appeals/${appeal.json().id}/resolve`, {
      status: 'rejected',
      response: '按名额规则排名第二，维持称职',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const during = await call('region', 'POST', `/assessment/cycles/${id}/finalise`);
    expect(during.statusCode).toBe(409);
    expect(during.json().error.message).toContain('公示期满后方可定档');
    // The publicity period ends.
    await env.deps.db.kysely
      .updateTable('assessment_cycles')
      .set({ publicity_until: '2020-01-01T00:00:00.000Z' })
      .where('id', '=', id)
      .execute();

    // Finalisation writes assessment_results (source 'cycle'), and the cycle is immutable.
    const fin = await call('region', 'POST', `/assessment/cycles/${id}/finalise`);
    expect(fin.statusCode, fin.body).toBe(200);
    expect(fin.json().status).toBe('final');
    const rows = await env.deps.db.kysely.selectFrom('assessment_results').selectAll().where('cycle_id', '=', id).execute();
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['cycle']));
    expect(rows.find((r) => Number(r.worker_id) === w.c)!.result).toBe('incompetent');
    expect((await call('region', 'POST', `/assessment/cycles/${id}/compute`)).statusCode).toBe(409);
    expect(
      (await call('street1', 'PATCH', `/assessment/cycles/${id}/participants/${w.a}`, { vetoes: ['disciplinary_sanction'] })).statusCode,
    ).toBe(409);
    expect((await call('region', 'POST', `/assessment/cycles/${id}/finalise`)).statusCode).toBe(409);

    // Every write was audited.
    const actions = (await env.deps.db.kysely.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
    for (const a of [
      'assessment.cycle_open',
      'assessment.sheet_save',
      'assessment.ballot_open',
      'assessment.ballot_close',
      'assessment.compute',
      'assessment.approve',
      'assessment.appeal_file',
      'assessment.appeal_resolve',
      'assessment.finalise',
    ]) {
      expect(actions).toContain(a);
    }
    // Anonymity: no ballot row carries a code, a device or an exact time.
    const ballot = await env.deps.db.kysely.selectFrom('assessment_ballots').selectAll().executeTakeFirstOrThrow();
    expect(Object.keys(ballot).sort()).toEqual(['cast_hour', 'comment', 'community_code', 'cycle_id', 'id', 'voter_kind']);
    expect(ballot.cast_hour).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}$/);
  });

  it('counts concurrent ballots exactly once each', async () => {
    const id = await openCycle();
    const codes = await issueCodes(id, '330106001001', 200);
    await call('street1', 'POST', `/assessment/cycles/${id}/communities/330106001001/open`, { mode: 'codes' });
    const body = {
      voterKind: 'ordinary_resident',
      ratings: [
        { workerId: w.a, choice: 'satisfied' },
        { workerId: w.b, choice: 'dissatisfied' },
      ],
    };
    // Every code once, plus 100 replays of the first 50 codes, all in parallel.
    const attempts = [...codes, ...codes.slice(0, 50), ...codes.slice(0, 50)];
    const results = await Promise.all(attempts.map((code) => call('public', 'POST', `/public/ballots/${code}`, body)));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(200);
    expect(statuses.filter((s) => s === 409)).toHaveLength(100);
    const live = (await call('street1', 'GET', `/assessment/cycles/${id}/communities`)).json();
    expect(live.find((x: { communityCode: string }) => x.communityCode === '330106001001')).toMatchObject({ ballots: 200, codesUsed: 200 });
    await call('street1', 'POST', `/assessment/cycles/${id}/communities/330106001001/close`);
    const tally = (await call('street1', 'GET', `/assessment/cycles/${id}/communities/330106001001/tally`)).json();
    expect(tally.workers.find((x: { workerId: number }) => x.workerId === w.a).satisfied).toBe(200);
    expect(tally.workers.find((x: { workerId: number }) => x.workerId === w.b).dissatisfied).toBe(200);
  });

  it('prints one QR code per ballot code, encoding the ballot page link with that code', async () => {
    const id = await openCycle();
    const res = await call('street1', 'POST', `/assessment/cycles/${id}/communities/330106001001/ballot-codes`, { count: 3 });
    expect(res.statusCode, res.body).toBe(200);
    const { codes, printHtml } = res.json() as { codes: string[]; printHtml: string };
    const svgs = printHtml.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(codes.length);
    const links = [...printHtml.matchAll(/<div class="url">([^<]*)<\/div>/g)].map((m) => m[1]!);
    expect(links).toEqual(codes.map((code) => `http://localhost:80/ballot/${code.replaceAll('-', '')}`));
    for (const [i, link] of links.entries()) {
      // Each slip's QR is exactly the QR of its own link, beside its own code.
      expect(svgs[i]).toBe((await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })).trim());
      const slip = printHtml.split('<div class="slip">')[i + 1]!;
      expect(slip).toContain(codes[i]);
      expect(slip).toContain(svgs[i]);
    }
    // The printed link opens the ballot page for that code.
    await call('street1', 'POST', `/assessment/cycles/${id}/communities/330106001001/open`, { mode: 'codes' });
    const token = new URL(links[0]!).pathname.replace('/ballot/', '');
    const page = await call('public', 'GET', `/public/ballots/${token}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({ used: false, status: 'open' });
  });

  it('keeps ballot figures and the tally from workers, whose scope is their own record', async () => {
    const id = await openCycle();
    const [code] = await issueCodes(id, '330106001001', 1);
    await call('street1', 'POST', `/assessment/cycles/${id}/communities/330106001001/open`, { mode: 'codes' });
    const cast = await call('public', 'POST', `/public/ballots/${code}`, {
      voterKind: 'ordinary_resident',
      ratings: [{ workerId: w.b, choice: 'dissatisfied' }],
      comment: '人员B态度不好',
    });
    expect(cast.statusCode, cast.body).toBe(201);
    await call('street1', 'POST', `/assessment/cycles/${id}/communities/330106001001/close`);
    // A colleague's votes and the comments about them are not a worker's own record.
    const list = await call('workerA', 'GET', `/assessment/cycles/${id}/communities`);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([]);
    const tally = await call('workerA', 'GET', `/assessment/cycles/${id}/communities/330106001001/tally`);
    expect(tally.statusCode).toBe(404);
    expect(tally.body).not.toContain('人员B');
    // The community lead, who approves the community's results, still sees them.
    expect((await call('lead1', 'GET', `/assessment/cycles/${id}/communities/330106001001/tally`)).statusCode).toBe(200);
  });

  it('lists comments in an order that does not follow the order of casting', async () => {
    const id = await openCycle();
    const codes = await issueCodes(id, '330106001001', 3);
    await call('street1', 'POST', `/assessment/cycles/${id}/communities/330106001001/open`, { mode: 'codes' });
    // Whoever watched the live count rise as a household voted must not find that household's comment by position.
    for (const [i, comment] of ['请多走访独居老人', '办事效率高', '希望周末也能办事'].entries()) {
      const r = await call('public', 'POST', `/public/ballots/${codes[i]}`, {
        voterKind: 'ordinary_resident',
        ratings: [{ workerId: w.a, choice: 'satisfied' }],
        comment,
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    await call('street1', 'POST', `/assessment/cycles/${id}/communities/330106001001/close`);
    const tally = (await call('street1', 'GET', `/assessment/cycles/${id}/communities/330106001001/tally`)).json();
    expect(tally.comments).toEqual(['办事效率高', '希望周末也能办事', '请多走访独居老人'].sort());
  });

  it('does not count a ballot that races the close: it waits for the close and is refused', async () => {
    const id = await openCycle();
    const [code] = await issueCodes(id, '330106001001', 1);
    await call('street1', 'POST', `/assessment/cycles/${id}/communities/330106001001/open`, { mode: 'codes' });
    const { db } = env.deps;
    let outcome: string | undefined;
    let casting: Promise<unknown> = Promise.resolve();
    // The close has changed the status but not committed yet when the ballot arrives.
    await db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('assessment_communities')
        .set({ ballot_status: 'closed' })
        .where('cycle_id', '=', id)
        .where('community_code', '=', '330106001001')
        .execute();
      casting = castBallotKysely(db.kysely, db.dialect, {
        cycleId: id,
        communityCode: '330106001001',
        voterKind: 'ordinary_resident',
        castHour: '2026-01-01T00',
        comment: null,
        ratings: [{ workerId: w.a!, choice: 'satisfied' }],
        codeHash: env.deps.cipher.blindIndex('ballot_code', code!.replaceAll('-', '')),
        deviceHash: null,
      }).then((o) => (outcome = o));
      await new Promise((r) => setTimeout(r, 300));
    });
    await casting;
    expect(outcome).toBe('closed');
    const ballots = await db.kysely.selectFrom('assessment_ballots').select('id').where('cycle_id', '=', id).execute();
    expect(ballots).toHaveLength(0);
  });

  it('flags a community below quorum instead of computing its residents score', async () => {
    const id = await openCycle({ ...TEMPLATE, missingGroupPolicy: 'flag' });
    for (const [who, code] of [
      ['street1', '330106001001'],
      ['street1', '330106001002'],
      ['street2', '330106002001'],
    ] as const) {
      const codes = await issueCodes(id, code, 2, who);
      await call(who, 'POST', `/assessment/cycles/${id}/communities/${code}/open`, { mode: 'codes' });
      if (code === '330106001001') {
        for (const k of codes) {
          await call('public', 'POST', `/public/ballots/${k}`, {
            voterKind: 'ordinary_resident',
            ratings: [{ workerId: w.a, choice: 'satisfied' }],
          });
        }
      }
      await call(who, 'POST', `/assessment/cycles/${id}/communities/${code}/close`);
    }
    const tally = (await call('street1', 'GET', `/assessment/cycles/${id}/communities/330106001001/tally`)).json();
    expect(tally.quorumMet).toBe(false);
    expect(tally.quorumReasons[0]).toContain('有效测评票2张，少于3张');
    const results = (await call('region', 'POST', `/assessment/cycles/${id}/compute`)).json();
    const a = results.find((r: { workerId: number }) => r.workerId === w.a);
    expect(a.flags).toContain('residents_below_quorum');
    expect(a.total).toBeNull();
    expect(a.finalResult).toBeNull();
    const approve = await call('lead1', 'POST', `/assessment/cycles/${id}/approvals`, { orgCode: '330106001001' });
    expect(approve.statusCode).toBe(409);
    expect(approve.json().error.message).toContain('须人工决定');
    // A decided total resolves it.
    for (const k of ['a', 'b', 'c']) {
      await call('street1', 'PATCH', `/assessment/cycles/${id}/participants/${w[k]}`, { decidedTotal: 8000 });
    }
    const again = (await call('region', 'POST', `/assessment/cycles/${id}/compute`)).json();
    expect(again.find((r: { workerId: number }) => r.workerId === w.a)).toMatchObject({ total: 8000, finalResult: 'competent' });
    expect((await call('lead1', 'POST', `/assessment/cycles/${id}/approvals`, { orgCode: '330106001001' })).statusCode).toBe(200);
  });
});
