import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import {
  createTestEnv,
  createTestUser,
  createTestWorker,
  loginCookie,
  seedOrgs,
  SMALL_TREE,
  testIdNumber,
  type TestEnv,
} from '../../../test/factories.ts';
import { buildIdNumber } from '../../lib/id-card.ts';

describeEachDatabase('workers API', (kind) => {
  let env: TestEnv;
  let hr: string;
  let lead: string;
  let region: string;
  let admin: string;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    hr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
    lead = await loginCookie(env.app, (await createTestUser(env.deps, 'community_lead', '330106001001')).username);
    region = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    admin = await loginCookie(env.app, (await createTestUser(env.deps, 'sys_admin', 'CN')).username);
  });
  afterAll(async () => env?.close());

  const post = (cookie: string, payload: object) =>
    env.app.inject({ method: 'POST', url: '/api/v1/workers', headers: { cookie }, payload });

  it('registers a worker: gender and birth date from the ID, ID and phone masked, ciphertext at rest', async () => {
    const idNumber = buildIdNumber('330106', '1988-02-29', 37, 'M');
    const res = await post(hr, {
      name: '张三',
      idNumber,
      orgCode: '330106001001',
      post: 'party_secretary',
      phone: '138 0013 8000',
      education: '20',
    });
    expect(res.statusCode).toBe(201);
    const w = res.json();
    expect(w).toMatchObject({
      name: '张三',
      gender: 'M',
      birthDate: '1988-02-29',
      orgName: '保俶塔社区',
      streetName: '北山街道',
      postCategory: 'principal',
      status: 'active',
      phoneMasked: '138****8000',
    });
    expect(w.idNumberMasked).toBe(`330${'*'.repeat(11)}${idNumber.slice(-4)}`);
    expect(JSON.stringify(w)).not.toContain(idNumber);
    const row = await env.deps.db.kysely.selectFrom('workers').selectAll().where('id', '=', w.id).executeTakeFirstOrThrow();
    expect(row.id_number_enc).not.toContain(idNumber.slice(6, 14));
    expect(env.deps.cipher.decrypt(row.id_number_enc)).toBe(idNumber);
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'worker.create')
      .where('entity_id', '=', String(w.id))
      .executeTakeFirstOrThrow();
    expect(audit.after_json).not.toContain(idNumber);
    expect(audit.after_json).not.toContain('13800138000');
  });

  it('says which field is wrong, in Chinese', async () => {
    const bad = await post(hr, { name: '李四', idNumber: '330106198802290371', orgCode: '330106001001', post: 'grid_worker' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('身份证号：校验位错误');
    expect(bad.json().error.details.issues[0].field).toBe('idNumber');
    const badPost = await post(hr, { name: '李四', idNumber: testIdNumber(), orgCode: '330106001001', post: 'boss' });
    expect(badPost.statusCode).toBe(400);
    expect(badPost.json().error.details.issues[0].field).toBe('post');
    expect(badPost.json().error.message).toMatch(/^输入有误：岗位：/);
    const badPhone = await post(hr, {
      name: '李四',
      idNumber: testIdNumber(),
      orgCode: '330106001001',
      post: 'grid_worker',
      phone: '12345',
    });
    expect(badPhone.json().error.details.issues[0].field).toBe('phone');
    const district = await post(region, { name: '李四', idNumber: testIdNumber(), orgCode: '330106', post: 'grid_worker' });
    expect(district.statusCode).toBe(403); // region_admin has no workers:write
    const atDistrictLevel = await post(hr, { name: '李四', idNumber: testIdNumber(), orgCode: '330106002001', post: 'grid_worker' });
    expect(atDistrictLevel.statusCode).toBe(400);
    expect(atDistrictLevel.json().error.details.issues[0].field).toBe('orgCode');
  });

  it('refuses a second registration of the same person anywhere', async () => {
    const idNumber = testIdNumber('F', '1992-03-04');
    expect((await post(hr, { name: '王五', idNumber, orgCode: '330106001001', post: 'grid_worker' })).statusCode).toBe(201);
    const again = await post(hr, { name: '王五', idNumber: idNumber.toLowerCase(), orgCode: '330106001002', post: 'grid_worker' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DUPLICATE_ID_NUMBER');
  });

  it('lists with paging and filters, finds by name prefix and by exact ID number', async () => {
    const idNumber = testIdNumber('F', '1995-06-07');
    await post(hr, { name: '赵六', idNumber, orgCode: '330106001002', post: 'grid_worker', status: 'probation' });
    const byName = await env.app.inject({ method: 'GET', url: `/api/v1/workers?q=${encodeURIComponent('赵')}`, headers: { cookie: hr } });
    expect(byName.json().items.map((i: { name: string }) => i.name)).toEqual(['赵六']);
    const byId = await env.app.inject({ method: 'GET', url: `/api/v1/workers?q=${idNumber}`, headers: { cookie: hr } });
    expect(byId.json().total).toBe(1);
    const byStatus = await env.app.inject({ method: 'GET', url: '/api/v1/workers?status=probation', headers: { cookie: hr } });
    expect(byStatus.json().items.every((i: { status: string }) => i.status === 'probation')).toBe(true);
    const sub = await env.app.inject({ method: 'GET', url: '/api/v1/workers?orgCode=330106001002', headers: { cookie: hr } });
    expect(sub.json().items.every((i: { orgCode: string }) => i.orgCode === '330106001002')).toBe(true);
    const page = await env.app.inject({ method: 'GET', url: '/api/v1/workers?page=1&pageSize=1', headers: { cookie: hr } });
    expect(page.json().items).toHaveLength(1);
    expect(page.json().total).toBeGreaterThan(1);
    const bad = await env.app.inject({ method: 'GET', url: '/api/v1/workers?pageSize=5000', headers: { cookie: hr } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].field).toBe('pageSize');
  });

  it('edits with an audited before/after, and a community lead only inside the community', async () => {
    const created = (await post(hr, { name: '钱七', idNumber: testIdNumber(), orgCode: '330106001001', post: 'grid_worker' })).json();
    const res = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/workers/${created.id}`,
      headers: { cookie: lead },
      payload: { post: 'committee_member', education: '30' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ post: 'committee_member', posts: ['committee_member'], education: '30' });
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'worker.update')
      .where('entity_id', '=', String(created.id))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json!)).toEqual({ post: 'grid_worker', posts: ['grid_worker'], education: null });
    expect(JSON.parse(audit.after_json!)).toEqual({ post: 'committee_member', posts: ['committee_member'], education: '30' });
    const leave = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/workers/${created.id}`,
      headers: { cookie: lead },
      payload: { status: 'on_leave' },
    });
    expect(leave.statusCode).toBe(400); // a status change with a reason goes through POST /workers/{id}/status
    expect(leave.json().error.details.issues[0].field).toBe('status');
    const move = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/workers/${created.id}`,
      headers: { cookie: lead },
      payload: { orgCode: '330106001002' },
    });
    expect(move.statusCode).toBe(400);
    const empty = await env.app.inject({ method: 'PATCH', url: `/api/v1/workers/${created.id}`, headers: { cookie: lead }, payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('reveals the full ID number only to permitted roles, and audits each reveal', async () => {
    const idNumber = testIdNumber();
    const created = (await post(hr, { name: '孙八', idNumber, orgCode: '330106001001', post: 'grid_worker', phone: '13912345678' })).json();
    const res = await env.app.inject({
      method: 'POST',
      url: `/api/v1/workers/${created.id}/reveal`,
      headers: { cookie: hr },
      payload: { fields: ['idNumber', 'phone'] },
    });
    expect(res.json()).toEqual({ idNumber, phone: '13912345678' });
    const reveals = await env.deps.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'worker.reveal')
      .where('entity_id', '=', String(created.id))
      .execute();
    expect(reveals).toHaveLength(1);
    expect(reveals[0]!.actor_role).toBe('street_hr');
    expect(
      (await env.app.inject({ method: 'POST', url: `/api/v1/workers/${created.id}/reveal`, headers: { cookie: lead }, payload: {} }))
        .statusCode,
    ).toBe(403);
    expect(
      (await env.app.inject({ method: 'POST', url: `/api/v1/workers/${created.id}/reveal`, headers: { cookie: admin }, payload: {} }))
        .statusCode,
    ).toBe(403);
    const badField = await env.app.inject({
      method: 'POST',
      url: `/api/v1/workers/${created.id}/reveal`,
      headers: { cookie: hr },
      payload: { fields: ['salary'] },
    });
    expect(badField.statusCode).toBe(400);
  });

  it('finds by pinyin initials and filters by education, political status, age, qualification and contract end', async () => {
    const born = (age: number) => `${new Date().getUTCFullYear() - age}-01-01`; // exactly `age` today
    const mk = async (name: string, extra: object, age = 30) =>
      (await post(hr, { name, idNumber: testIdNumber('F', born(age)), orgCode: '330106001002', post: 'grid_worker', ...extra })).json();
    const zhang = await mk('张三丰', { education: '10', politicalStatus: '01', qualificationLevel: 'intermediate' }, 25);
    await mk('周思思', { education: '30', politicalStatus: '13' }, 45);
    const list = (qs: string) =>
      env.app.inject({ method: 'GET', url: `/api/v1/workers?orgCode=330106001002&${qs}`, headers: { cookie: hr } });
    const names = async (qs: string) =>
      (await list(qs))
        .json()
        .items.map((i: { name: string }) => i.name)
        .sort();

    expect(await names('q=zsf')).toEqual(['张三丰']);
    expect(await names('q=ZSF')).toEqual(['张三丰']);
    expect(await names('q=zs')).toEqual(['周思思', '张三丰'].sort());
    expect(await names('q=z')).toEqual(expect.arrayContaining(['周思思', '张三丰']));
    expect(await names('education=10')).toEqual(['张三丰']);
    expect(await names('politicalStatus=13')).toEqual(['周思思']);
    expect(await names('qualificationLevel=intermediate')).toEqual(['张三丰']);
    expect(await names('ageMin=40')).toEqual(['周思思']);
    expect(await names('ageMax=30')).toEqual(['张三丰']);
    expect(await names('ageMin=25&ageMax=25')).toEqual(['张三丰']);

    const signed = await env.app.inject({
      method: 'POST',
      url: `/api/v1/workers/${zhang.id}/contracts`,
      headers: { cookie: hr },
      payload: { contractType: 'fixed_term', startDate: '2024-01-01', endDate: '2026-12-31' },
    });
    expect(signed.statusCode).toBe(201);
    expect(await names('contractEndBefore=2027-01-31')).toEqual(['张三丰']);
    expect(await names('contractEndBefore=2026-06-30')).toEqual([]);

    const bad = await list('ageMin=50&ageMax=20');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].field).toBe('ageMax');
    const badCode = await list('education=99');
    expect(badCode.json().error.details.issues[0].field).toBe('education');
  });

  it('counts exactly up to the cap and says when the total is only a lower bound', async () => {
    const { findWorkers } = await import('./workers.repo.ts');
    const scope = { orgCode: '330106001', level: 4 };
    const exact = await findWorkers(env.deps.db.kysely, scope, {}, 2, 0, null);
    expect(exact.totalCapped).toBe(false);
    expect(exact.total).toBeGreaterThan(3);
    const capped = await findWorkers(env.deps.db.kysely, scope, {}, 2, 0, 3);
    expect(capped).toMatchObject({ total: 3, totalCapped: true });
    expect(capped.items).toHaveLength(2);
    const under = await findWorkers(env.deps.db.kysely, scope, {}, 2, 0, exact.total);
    expect(under).toMatchObject({ total: exact.total, totalCapped: false });
    const api = await env.app.inject({ method: 'GET', url: '/api/v1/workers', headers: { cookie: hr } });
    expect(api.json()).toMatchObject({ total: exact.total, totalCapped: false });
  });

  it("pages a name or pinyin search in org order, counted exactly, within the caller's scope", async () => {
    // Created out of org order, so that id order and (org_code, id) order differ.
    const made: Record<string, number> = {};
    for (const [name, orgCode] of [
      ['欧阳甲', '330106002001'],
      ['欧阳丙', '330106001002'],
      ['欧阳戊', '330106001001'],
      ['欧阳乙', '330106002001'],
      ['欧阳丁', '330106001002'],
    ] as const) {
      made[name] = (await createTestWorker(env.deps, orgCode, { name })).id;
    }
    const inOrgOrder = ['欧阳戊', '欧阳丙', '欧阳丁', '欧阳甲', '欧阳乙'];
    const page = async (cookie: string, q: string, n: number) =>
      (
        await env.app.inject({ method: 'GET', url: `/api/v1/workers?q=${encodeURIComponent(q)}&pageSize=2&page=${n}`, headers: { cookie } })
      ).json();
    for (const q of ['欧阳', 'oy']) {
      const pages = [await page(region, q, 1), await page(region, q, 2), await page(region, q, 3)];
      expect(pages.map((p) => p.total)).toEqual([5, 5, 5]);
      expect(pages[0].totalCapped).toBe(false);
      expect(pages.flatMap((p) => p.items.map((i: { name: string }) => i.name))).toEqual(inOrgOrder);
      expect(pages[0].items[0]).toMatchObject({ id: made['欧阳戊'], orgName: '保俶塔社区' });
      // The street HR of 北山街道 finds only its own three.
      const own = await page(hr, q, 1);
      expect(own.total).toBe(3);
      expect((await page(hr, q, 2)).items.map((i: { name: string }) => i.name)).toEqual(['欧阳丁']);
    }
    // Beyond the count cap the page is read by walking the scope in org order: same rows.
    const { findWorkers } = await import('./workers.repo.ts');
    const scope = { orgCode: '330106', level: 3 };
    const walked = await findWorkers(env.deps.db.kysely, scope, { name: '欧阳' }, 3, 1, 2);
    expect(walked).toMatchObject({ total: 2, totalCapped: true });
    expect(walked.items.map((i) => i.name)).toEqual(inOrgOrder.slice(1, 4));
    const searched = await findWorkers(env.deps.db.kysely, scope, { name: '欧阳' }, 3, 1);
    expect(searched.items.map((i) => i.name)).toEqual(inOrgOrder.slice(1, 4));
    const descending = await findWorkers(env.deps.db.kysely, scope, { initials: 'oy', sort: { column: 'org_code', order: 'desc' } }, 2, 0);
    expect(descending.items.map((i) => i.name)).toEqual(['欧阳乙', '欧阳甲']);
  });

  it('answers 404 for an unknown id and 401 without a session', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/workers/999999', headers: { cookie: hr } })).statusCode).toBe(404);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/workers' })).statusCode).toBe(401);
  });
  it('sorts by birth date both ways, with the same rows in each direction, and refuses an unknown sort', async () => {
    await post(hr, { name: '排序老', idNumber: testIdNumber('M', '1961-01-01'), orgCode: '330106001001', post: 'grid_worker' });
    await post(hr, { name: '排序少', idNumber: testIdNumber('F', '2001-12-31'), orgCode: '330106001002', post: 'grid_worker' });
    const list = async (qs: string) =>
      (await env.app.inject({ method: 'GET', url: `/api/v1/workers?pageSize=200&${qs}`, headers: { cookie: hr } })).json().items as {
        name: string;
        birthDate: string;
        id: number;
      }[];
    const asc = await list('sort=birthDate&order=asc');
    const desc = await list('sort=birthDate&order=desc');
    expect(asc[0]!.name).toBe('排序老');
    expect(desc[0]!.name).toBe('排序少');
    expect(asc.map((w) => w.birthDate)).toEqual([...asc.map((w) => w.birthDate)].sort());
    expect(desc.map((w) => w.id)).toEqual([...asc].reverse().map((w) => w.id));
    const bad = await env.app.inject({ method: 'GET', url: '/api/v1/workers?sort=salary', headers: { cookie: hr } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].field).toBe('sort');
  });
});
