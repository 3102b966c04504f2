import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import {
  createTestContract,
  createTestEnv,
  createTestUser,
  createTestWorker,
  loginCookie,
  seedOrgs,
  SMALL_TREE,
  testDate,
  type TestEnv,
} from '../../../test/factories.ts';
import { addDays } from './contract-rules.ts';

const ALL_SIX = ['pension', 'medical', 'unemployment', 'injury', 'maternity', 'housing_fund'];

describeEachDatabase('contracts API', (kind) => {
  let env: TestEnv;
  let hr: string;
  let hrWest: string;
  let lead: string;
  let region: string;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    hr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
    hrWest = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106002')).username);
    lead = await loginCookie(env.app, (await createTestUser(env.deps, 'community_lead', '330106001001')).username);
    region = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
  });
  afterAll(async () => env?.close());

  const call = (cookie: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    env.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });
  const sign = (cookie: string, workerId: number, payload: object) => call(cookie, 'POST', `/workers/${workerId}/contracts`, payload);
  const auditRows = (action: string, entityId: number | string) =>
    env.deps.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .where('entity_id', '=', String(entityId))
      .orderBy('seq')
      .execute();

  it('signs a contract with the street office, lists it and audits it', async () => {
    const w = await createTestWorker(env.deps, '330106001001', { name: '签约人' });
    const res = await sign(hr, w.id, {
      contractType: 'fixed_term',
      contractNo: 'BS-2026-001',
      startDate: '2026-01-01',
      endDate: '2028-12-31',
      probationEndDate: '2026-03-31',
      signedDate: '2025-12-20',
    });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      workerId: w.id,
      orgCode: '330106001001',
      partyName: '北山街道',
      contractType: 'fixed_term',
      status: 'active',
      renewalOf: null,
      probationEndDate: '2026-03-31',
    });
    const list = await call(lead, 'GET', `/workers/${w.id}/contracts`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { id: number }) => i.id)).toEqual([c.id]);
    const [audit] = await auditRows('contract.sign', c.id);
    expect(audit!.org_code).toBe('330106001001');
    expect(JSON.parse(audit!.after_json!)).toMatchObject({
      workerId: w.id,
      startDate: '2026-01-01',
      endDate: '2028-12-31',
      status: 'active',
    });
  });

  it('checks the dates and says which field is wrong, in Chinese', async () => {
    const w = await createTestWorker(env.deps, '330106001001');
    const endBeforeStart = await sign(hr, w.id, { contractType: 'fixed_term', startDate: '2026-03-01', endDate: '2026-02-01' });
    expect(endBeforeStart.statusCode).toBe(400);
    expect(endBeforeStart.json().error.details.issues).toEqual([
      expect.objectContaining({ field: 'endDate', message: '结束日期：须晚于开始日期' }),
    ]);
    const openWithEnd = await sign(hr, w.id, { contractType: 'open_ended', startDate: '2026-03-01', endDate: '2027-02-01' });
    expect(openWithEnd.json().error.details.issues[0]).toMatchObject({
      field: 'endDate',
      message: '结束日期：无固定期限劳动合同不填结束日期',
    });
    const fixedWithoutEnd = await sign(hr, w.id, { contractType: 'fixed_term', startDate: '2026-03-01' });
    expect(fixedWithoutEnd.json().error.details.issues[0].field).toBe('endDate');
    const badDate = await sign(hr, w.id, { contractType: 'fixed_term', startDate: '2026-02-30', endDate: '2027-01-01' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.details.issues[0].field).toBe('startDate');
    const badType = await sign(hr, w.id, { contractType: 'temp', startDate: '2026-03-01', endDate: '2027-01-01' });
    expect(badType.json().error.details.issues[0].field).toBe('contractType');
    const probationOutside = await sign(hr, w.id, {
      contractType: 'fixed_term',
      startDate: '2026-03-01',
      endDate: '2026-08-31',
      probationEndDate: '2026-02-28',
    });
    expect(probationOutside.json().error.details.issues[0]).toMatchObject({
      field: 'probationEndDate',
      message: '试用期结束日期：不能早于合同开始日期',
    });
    expect((await call(hr, 'GET', `/workers/${w.id}/contracts`)).json().items).toEqual([]);
  });

  it('limits probation by the term (劳动合同法 §19)', async () => {
    const w = await createTestWorker(env.deps, '330106001001');
    const tooLong = async (body: object) => {
      const res = await sign(hr, w.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      return res.json().error.details.issues[0].message as string;
    };
    // Under 1 year: at most 1 month.
    expect(
      await tooLong({ contractType: 'fixed_term', startDate: '2026-01-01', endDate: '2026-10-31', probationEndDate: '2026-02-01' }),
    ).toBe('试用期结束日期：合同期限三个月以上不满一年的试用期不得超过1个月（《劳动合同法》第十九条），最迟 2026-01-31');
    // 1 to under 3 years: at most 2 months.
    expect(
      await tooLong({ contractType: 'fixed_term', startDate: '2026-01-01', endDate: '2027-12-31', probationEndDate: '2026-03-01' }),
    ).toMatch(/不满三年的试用期不得超过2个月.*最迟 2026-02-28$/);
    // 3 years or more: at most 6 months.
    expect(
      await tooLong({ contractType: 'fixed_term', startDate: '2026-01-01', endDate: '2028-12-31', probationEndDate: '2026-07-01' }),
    ).toMatch(/三年以上固定期限的试用期不得超过6个月/);
    expect(await tooLong({ contractType: 'open_ended', startDate: '2026-01-01', probationEndDate: '2026-07-01' })).toMatch(
      /无固定期限劳动合同试用期不得超过6个月/,
    );
    expect(
      await tooLong({ contractType: 'project', startDate: '2026-01-01', endDate: '2026-12-31', probationEndDate: '2026-01-15' }),
    ).toMatch(/以完成一定工作任务为期限的劳动合同不得约定试用期/);
    expect(
      await tooLong({ contractType: 'fixed_term', startDate: '2026-01-01', endDate: '2026-03-15', probationEndDate: '2026-01-10' }),
    ).toMatch(/不满三个月的不得约定试用期/);
    const ok = await sign(hr, w.id, {
      contractType: 'fixed_term',
      startDate: '2026-01-01',
      endDate: '2028-12-31',
      probationEndDate: '2026-06-30',
    });
    expect(ok.statusCode).toBe(201);
  });

  it('keeps one active contract per worker; a lapsed one expires when the next is signed', async () => {
    const w = await createTestWorker(env.deps, '330106001001');
    const first = (await sign(hr, w.id, { contractType: 'fixed_term', startDate: '2024-01-01', endDate: '2025-12-31' })).json();
    const overlapping = await sign(hr, w.id, { contractType: 'fixed_term', startDate: '2025-06-01', endDate: '2027-05-31' });
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json().error.code).toBe('CONFLICT');
    expect(overlapping.json().error.message).toMatch(/^劳动合同：该人员已有履行中的劳动合同/);
    const next = await sign(hr, w.id, { contractType: 'open_ended', startDate: '2026-01-05' });
    expect(next.statusCode).toBe(201);
    const items = (await call(hr, 'GET', `/workers/${w.id}/contracts`)).json().items as { id: number; status: string }[];
    expect(items.map((i) => [i.id, i.status])).toEqual([
      [next.json().id, 'active'],
      [first.id, 'expired'],
    ]);
    const [audit] = await auditRows('contract.sign', next.json().id);
    expect(JSON.parse(audit!.before_json!)).toEqual({ expiredContract: { id: first.id, status: 'active' } });
    const again = await sign(hr, w.id, { contractType: 'fixed_term', startDate: '2030-01-01', endDate: '2032-12-31' });
    expect(again.statusCode).toBe(409); // an open-ended contract never lapses on its own
  });

  it('renews: a chain linked by renewalOf, the old contract marked renewed, no second probation', async () => {
    const w = await createTestWorker(env.deps, '330106001002');
    const first = (
      await sign(hr, w.id, { contractType: 'fixed_term', startDate: '2023-01-01', endDate: '2025-12-31', probationEndDate: '2023-06-30' })
    ).json();
    const withProbation = await call(hr, 'POST', `/contracts/${first.id}/renew`, { endDate: '2028-12-31', probationEndDate: '2026-02-28' });
    expect(withProbation.statusCode).toBe(400);
    expect(withProbation.json().error.details.issues[0].message).toMatch(/^试用期结束日期：同一用人单位与同一劳动者只能约定一次试用期/);
    const overlapping = await call(hr, 'POST', `/contracts/${first.id}/renew`, { startDate: '2025-12-01', endDate: '2028-12-31' });
    expect(overlapping.json().error.details.issues[0]).toMatchObject({
      field: 'startDate',
      message: '开始日期：须晚于原合同的结束日期（2025-12-31）',
    });
    const second = await call(hr, 'POST', `/contracts/${first.id}/renew`, { endDate: '2028-12-31', contractNo: 'R-1' });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({
      renewalOf: first.id,
      startDate: '2026-01-01',
      endDate: '2028-12-31',
      status: 'active',
      partyName: '北山街道',
    });
    const third = await call(hr, 'POST', `/contracts/${second.json().id}/renew`, { contractType: 'open_ended' });
    expect(third.statusCode).toBe(201);
    expect(third.json()).toMatchObject({ renewalOf: second.json().id, contractType: 'open_ended', endDate: null, startDate: '2029-01-01' });
    const again = await call(hr, 'POST', `/contracts/${first.id}/renew`, { endDate: '2031-12-31' });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.details.issues[0].field).toBe('contract');
    const items = (await call(hr, 'GET', `/workers/${w.id}/contracts`)).json().items as {
      id: number;
      status: string;
      renewalOf: number | null;
    }[];
    expect(items.map((i) => [i.status, i.renewalOf])).toEqual([
      ['active', second.json().id],
      ['renewed', first.id],
      ['renewed', null],
    ]);
    const [audit] = await auditRows('contract.renew', third.json().id);
    expect(JSON.parse(audit!.before_json!)).toEqual({ renewedContract: { id: second.json().id, status: 'active', endDate: '2028-12-31' } });
    expect(JSON.parse(audit!.after_json!)).toMatchObject({ renewalOf: second.json().id, renewedContract: { status: 'renewed' } });
  });

  it('terminates an active contract with a date and a reason, audited before/after', async () => {
    const w = await createTestWorker(env.deps, '330106001001');
    const c = (await sign(hr, w.id, { contractType: 'fixed_term', startDate: '2025-01-01', endDate: '2027-12-31' })).json();
    const noReason = await call(hr, 'POST', `/contracts/${c.id}/terminate`, { date: '2026-03-01', reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details.issues[0].field).toBe('reason');
    const early = await call(hr, 'POST', `/contracts/${c.id}/terminate`, { date: '2024-12-31', reason: '协商一致' });
    expect(early.json().error.details.issues[0]).toMatchObject({ field: 'date', message: '解除日期：不能早于合同开始日期（2025-01-01）' });
    const byLead = await call(lead, 'POST', `/contracts/${c.id}/terminate`, { date: '2026-03-01', reason: '协商一致' });
    expect(byLead.statusCode).toBe(403);
    const res = await call(hr, 'POST', `/contracts/${c.id}/terminate`, { date: '2026-03-01', reason: '年度考核不称职' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'terminated', terminatedDate: '2026-03-01', terminationReason: '年度考核不称职' });
    const twice = await call(hr, 'POST', `/contracts/${c.id}/terminate`, { date: '2026-03-02', reason: '重复' });
    expect(twice.statusCode).toBe(400);
    const [audit] = await auditRows('contract.terminate', c.id);
    expect(JSON.parse(audit!.before_json!)).toEqual({ status: 'active', terminatedDate: null, terminationReason: null });
    expect(JSON.parse(audit!.after_json!)).toEqual({
      workerId: w.id,
      status: 'terminated',
      terminatedDate: '2026-03-01',
      terminationReason: '年度考核不称职',
    });
    expect((await sign(hr, w.id, { contractType: 'fixed_term', startDate: '2026-04-01', endDate: '2027-03-31' })).statusCode).toBe(201);
  });

  it('answers 404 outside the scope, 403 without the permission, and lets a worker read only their own', async () => {
    const mine = await createTestWorker(env.deps, '330106001001', { name: '本人' });
    const colleague = await createTestWorker(env.deps, '330106001001', { name: '同事' });
    const c = await createTestContract(env.deps, colleague.id);
    const me = await loginCookie(env.app, (await createTestUser(env.deps, 'worker', '330106001001', { workerId: mine.id })).username);
    expect((await call(me, 'GET', `/workers/${mine.id}/contracts`)).statusCode).toBe(200);
    expect((await call(me, 'GET', `/workers/${mine.id}/insurance`)).statusCode).toBe(200);
    expect((await call(me, 'GET', `/workers/${colleague.id}/contracts`)).statusCode).toBe(404);
    expect(
      (await call(me, 'POST', `/workers/${mine.id}/contracts`, { contractType: 'open_ended', startDate: '2026-01-01' })).statusCode,
    ).toBe(403);
    expect(
      (await call(lead, 'POST', `/workers/${mine.id}/contracts`, { contractType: 'open_ended', startDate: '2026-01-01' })).statusCode,
    ).toBe(403);
    expect((await call(hrWest, 'GET', `/workers/${colleague.id}/contracts`)).statusCode).toBe(404);
    expect((await call(hrWest, 'POST', `/contracts/${c.id}/renew`, { endDate: '2035-01-01' })).statusCode).toBe(404);
    expect((await call(hrWest, 'POST', `/contracts/${c.id}/terminate`, { date: testDate(), reason: '越权' })).statusCode).toBe(404);
    expect((await call(hrWest, 'PUT', `/workers/${colleague.id}/insurance`, { items: [] })).statusCode).toBe(404);
    expect((await call(hr, 'GET', '/workers/999999/contracts')).statusCode).toBe(404);
    expect((await call(hr, 'POST', '/contracts/999999/renew', {})).statusCode).toBe(404);
  });

  it('replaces the insurance enrolments, validates them and audits the whole set', async () => {
    const w = await createTestWorker(env.deps, '330106001001');
    const items = ALL_SIX.map((k) => ({ kind: k, contributionBaseFen: 650000, startDate: '2025-01-01' }));
    const put = await call(hr, 'PUT', `/workers/${w.id}/insurance`, { items });
    expect(put.statusCode).toBe(200);
    expect(put.json().items).toHaveLength(6);
    expect(put.json().items[0]).toMatchObject({ workerId: w.id, contributionBaseFen: 650000, startDate: '2025-01-01', endDate: null });
    const zero = await call(hr, 'PUT', `/workers/${w.id}/insurance`, {
      items: [{ kind: 'pension', contributionBaseFen: 0, startDate: '2025-01-01' }],
    });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.details.issues[0].field).toBe('items.0.contributionBaseFen');
    const fraction = await call(hr, 'PUT', `/workers/${w.id}/insurance`, {
      items: [{ kind: 'pension', contributionBaseFen: 12.5, startDate: '2025-01-01' }],
    });
    expect(fraction.statusCode).toBe(400);
    const badKind = await call(hr, 'PUT', `/workers/${w.id}/insurance`, {
      items: [{ kind: 'dental', contributionBaseFen: 100, startDate: '2025-01-01' }],
    });
    expect(badKind.json().error.details.issues[0].field).toBe('items.0.kind');
    const backwards = await call(hr, 'PUT', `/workers/${w.id}/insurance`, {
      items: [{ kind: 'pension', contributionBaseFen: 100, startDate: '2025-01-01', endDate: '2024-12-31' }],
    });
    expect(backwards.json().error.details.issues[0]).toMatchObject({ field: 'items.0.endDate', message: '结束日期：不能早于开始日期' });
    const overlap = await call(hr, 'PUT', `/workers/${w.id}/insurance`, {
      items: [
        { kind: 'medical', contributionBaseFen: 100, startDate: '2024-01-01', endDate: '2025-06-30' },
        { kind: 'medical', contributionBaseFen: 200, startDate: '2025-06-01' },
      ],
    });
    expect(overlap.json().error.details.issues[0]).toMatchObject({
      field: 'items.1.startDate',
      message: '开始日期：医疗保险的参保期间与另一条重叠',
    });
    expect((await call(hr, 'GET', `/workers/${w.id}/insurance`)).json().items).toHaveLength(6); // nothing changed
    const history = [
      { kind: 'medical', contributionBaseFen: 500000, startDate: '2024-01-01', endDate: '2024-12-31' },
      { kind: 'medical', contributionBaseFen: 650000, startDate: '2025-01-01' },
    ];
    const replaced = await call(hr, 'PUT', `/workers/${w.id}/insurance`, { items: history });
    expect(replaced.json().items.map((i: { contributionBaseFen: number }) => i.contributionBaseFen)).toEqual([500000, 650000]);
    const audits = await auditRows('insurance.update', w.id);
    expect(audits).toHaveLength(2);
    expect(JSON.parse(audits[1]!.before_json!)).toHaveLength(6);
    expect(JSON.parse(audits[1]!.after_json!)).toEqual([
      { kind: 'medical', contributionBaseFen: 500000, startDate: '2024-01-01', endDate: '2024-12-31' },
      { kind: 'medical', contributionBaseFen: 650000, startDate: '2025-01-01', endDate: null },
    ]);
  });

  it('alerts: each of the four kinds appears, sorted by due date, and disappears when fixed', async () => {
    const community = '330106002001';
    const ending = await createTestWorker(env.deps, community, { name: '合同将到期' });
    const probationer = await createTestWorker(env.deps, community, { name: '试用期将满', status: 'probation' });
    const unsigned = await createTestWorker(env.deps, community, { name: '未签合同' });
    await createTestWorker(env.deps, community, { name: '已退出', status: 'exited' });
    const endingContract = await createTestContract(env.deps, ending.id, {
      startDate: addDays(testDate(10), -3 * 365),
      endDate: testDate(10),
    });
    await createTestContract(env.deps, probationer.id, { startDate: testDate(-100), probationEndDate: testDate(20) });
    const alerts = async (query = '') => {
      const res = await call(hrWest, 'GET', `/alerts/contracts?pageSize=200${query}`);
      expect(res.statusCode).toBe(200);
      return res.json() as {
        items: { kind: string; workerId: number; workerName: string; dueDate?: string; detail: string; orgName: string }[];
        total: number;
      };
    };

    const all = await alerts();
    expect(all.items.slice(0, 2)).toEqual([
      {
        kind: 'contract_ending',
        workerId: ending.id,
        workerName: '合同将到期',
        orgCode: community,
        orgName: '文鼎苑社区',
        dueDate: testDate(10),
        detail: `劳动合同将于 ${testDate(10)} 到期`,
      },
      expect.objectContaining({ kind: 'probation_ending', workerId: probationer.id, dueDate: testDate(20) }),
    ]);
    const undated = all.items.slice(2);
    expect(undated.every((i) => i.dueDate === undefined)).toBe(true);
    expect(undated.filter((i) => i.kind === 'no_contract').map((i) => i.workerName)).toEqual(['未签合同']);
    const missing = undated.filter((i) => i.kind === 'missing_insurance');
    expect(missing.map((i) => i.workerName).sort()).toEqual(['合同将到期', '未签合同', '试用期将满'].sort());
    expect(missing[0]!.detail).toBe('未参保：养老保险、医疗保险、失业保险、工伤保险、生育保险、住房公积金');
    expect(all.total).toBe(6);
    expect(all.items.some((i) => i.workerName === '已退出')).toBe(false);

    expect((await alerts('&withinDays=5')).items.some((i) => i.kind === 'contract_ending')).toBe(false);
    const paged = await call(hrWest, 'GET', '/alerts/contracts?page=2&pageSize=4');
    expect(paged.json().items).toHaveLength(2);
    expect(paged.json().total).toBe(6);

    // Fix each: renew, confirm, sign, enrol.
    expect((await call(hrWest, 'POST', `/contracts/${endingContract.id}/renew`, { contractType: 'open_ended' })).statusCode).toBe(201);
    expect((await call(hrWest, 'PATCH', `/workers/${probationer.id}`, { status: 'active' })).statusCode).toBe(200);
    expect((await sign(hrWest, unsigned.id, { contractType: 'open_ended', startDate: testDate(-1) })).statusCode).toBe(201);
    const five = ALL_SIX.slice(0, 5).map((k) => ({ kind: k, contributionBaseFen: 500000, startDate: testDate(-10) }));
    await call(hrWest, 'PUT', `/workers/${unsigned.id}/insurance`, { items: five });
    const partly = (await alerts()).items.find((i) => i.workerId === unsigned.id);
    expect(partly).toMatchObject({ kind: 'missing_insurance', detail: '未参保：住房公积金' });
    const enrolled = [...five, { kind: 'housing_fund', contributionBaseFen: 500000, startDate: testDate(-10) }];
    for (const w of [ending, probationer, unsigned]) await call(hrWest, 'PUT', `/workers/${w.id}/insurance`, { items: enrolled });
    expect(await alerts()).toEqual({ items: [], total: 0 });

    // An enrolment that has ended no longer counts.
    await call(hrWest, 'PUT', `/workers/${ending.id}/insurance`, {
      items: enrolled.map((e) => (e.kind === 'injury' ? { ...e, endDate: testDate(-1) } : e)),
    });
    expect((await alerts()).items).toEqual([
      expect.objectContaining({ kind: 'missing_insurance', workerId: ending.id, detail: '未参保：工伤保险' }),
    ]);
  });

  it('alerts stay inside the scope and the org filter', async () => {
    const out = await createTestWorker(env.deps, '330108001001', { name: '滨江未签' });
    const west = await call(hrWest, 'GET', '/alerts/contracts?pageSize=200');
    expect(west.json().items.every((i: { orgCode: string }) => i.orgCode.startsWith('330106002'))).toBe(true);
    const north = await call(hr, 'GET', '/alerts/contracts?pageSize=200');
    expect(north.json().items.length).toBeGreaterThan(0);
    expect(north.json().items.every((i: { orgCode: string }) => i.orgCode.startsWith('330106001'))).toBe(true);
    const district = await call(region, 'GET', '/alerts/contracts?pageSize=200&orgCode=330106001002');
    expect(district.json().items.length).toBeGreaterThan(0);
    expect(district.json().items.every((i: { orgCode: string }) => i.orgCode === '330106001002')).toBe(true);
    expect((await call(hr, 'GET', '/alerts/contracts?orgCode=330108')).json()).toEqual({ items: [], total: 0 });
    expect(north.json().items.some((i: { workerId: number }) => i.workerId === out.id)).toBe(false);
    const bad = await call(hr, 'GET', '/alerts/contracts?withinDays=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].field).toBe('withinDays');
  });
});
