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

describeEachDatabase('worker registry: record, lifecycle, transfers, history', (kind) => {
  let env: TestEnv;
  let hr: string;
  let lead: string;
  let region: string;
  let outsider: number;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    hr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
    lead = await loginCookie(env.app, (await createTestUser(env.deps, 'community_lead', '330106001001')).username);
    region = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    outsider = (await createTestWorker(env.deps, '330108001001', { name: '滨江人员' })).id;
  });
  afterAll(async () => env?.close());

  const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    env.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });
  const register = async (payload: object = {}) => {
    const res = await call(hr, 'POST', '/workers', {
      name: '测试',
      idNumber: testIdNumber(),
      orgCode: '330106001001',
      post: 'grid_worker',
      ...payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number } & Record<string, unknown>;
  };
  const historyRows = (workerId: number) =>
    env.deps.db.kysely.selectFrom('worker_history').selectAll().where('worker_id', '=', workerId).orderBy('id').execute();
  const auditRows = (workerId: number, action: string) =>
    env.deps.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .where('entity_id', '=', String(workerId))
      .orderBy('seq')
      .execute();

  it('keeps the full record: 一肩挑 posts, qualification, emergency contact encrypted and masked', async () => {
    const idNumber = testIdNumber('M', '1980-10-01');
    const w = await register({
      name: '周一',
      idNumber,
      gender: 'M',
      birthDate: '1980-10-01',
      post: undefined,
      posts: ['committee_director', 'party_secretary'],
      formerName: '周小一',
      ethnicity: '03',
      politicalStatus: '01',
      partyJoinDate: '2005-07-01',
      education: '20',
      educationMode: 'part_time',
      school: '浙江大学',
      major: '社会工作',
      address: '浙江省杭州市西湖区北山街道保俶路1号',
      hukou: '浙江省杭州市西湖区',
      emergencyContactName: '周二',
      emergencyContactPhone: '13900001111',
      workStartDate: '2010-03-01',
      joinCommunityDate: '2015-06-01',
      qualificationLevel: 'intermediate',
      certificateNo: 'SW2018-0001',
      certificateDate: '2018-11-20',
    });
    expect(w).toMatchObject({
      post: 'party_secretary',
      posts: ['party_secretary', 'committee_director'],
      postCategory: 'principal',
      isConcurrent: true,
      formerName: '周小一',
      ethnicity: '03',
      partyJoinDate: '2005-07-01',
      educationMode: 'part_time',
      school: '浙江大学',
      major: '社会工作',
      hukou: '浙江省杭州市西湖区',
      emergencyContactName: '周二',
      emergencyContactPhoneMasked: '139****1111',
      joinCommunityDate: '2015-06-01',
      qualificationLevel: 'intermediate',
      certificateNo: 'SW2018-0001',
      certificateDate: '2018-11-20',
      statusDate: '2015-06-01',
    });
    expect(JSON.stringify(w)).not.toContain('13900001111');
    const row = await env.deps.db.kysely.selectFrom('workers').selectAll().where('id', '=', w.id).executeTakeFirstOrThrow();
    expect(row.emergency_contact_phone_enc).not.toContain('13900001111');
    expect(env.deps.cipher.decrypt(row.emergency_contact_phone_enc!)).toBe('13900001111');
    const list = await call(hr, 'GET', `/workers?q=${encodeURIComponent('周一')}`);
    expect(list.json().items[0]).toMatchObject({
      posts: ['party_secretary', 'committee_director'],
      isConcurrent: true,
      postCategory: 'principal',
    });
    const reveal = await call(hr, 'POST', `/workers/${w.id}/reveal`, { fields: ['emergencyContactPhone'] });
    expect(reveal.json()).toEqual({ emergencyContactPhone: '13900001111' });

    const history = await historyRows(w.id);
    expect(history.every((h) => h.action === 'create' && h.old_value === null && h.org_code === '330106001001')).toBe(true);
    const byField = new Map(history.map((h) => [h.field, h.new_value]));
    expect(byField.get('idNumber')).toBe(`330${'*'.repeat(11)}${idNumber.slice(-4)}`);
    expect(byField.get('emergencyContactPhone')).toBe('139****1111');
    expect(byField.get('address')).toBe('浙江省杭州市****');
    expect(byField.get('posts')).toBe('party_secretary,committee_director');
    const all = JSON.stringify(history);
    expect(all).not.toContain(idNumber);
    expect(all).not.toContain('13900001111');
    expect(all).not.toContain('保俶路1号');
    const [audit] = await auditRows(w.id, 'worker.create');
    expect(audit!.after_json).not.toContain('保俶路1号');
  });

  it('converts a 15-digit legacy ID number and checks typed gender and birth date against it', async () => {
    const legacy = '330106850315372'; // born 1985-03-15, sequence 372 (even: female)
    const w = await register({ name: '吴三', idNumber: legacy, gender: 'F', birthDate: '1985-03-15' });
    expect(w).toMatchObject({ gender: 'F', birthDate: '1985-03-15' });
    const reveal = await call(hr, 'POST', `/workers/${w.id}/reveal`, { fields: ['idNumber'] });
    expect(reveal.json().idNumber).toBe(buildIdNumber('330106', '1985-03-15', 372, 'F'));
    const again = await call(hr, 'POST', '/workers', {
      name: '吴三',
      idNumber: reveal.json().idNumber,
      orgCode: '330106001002',
      post: 'grid_worker',
    });
    expect(again.json().error.code).toBe('DUPLICATE_ID_NUMBER');

    const wrongGender = await call(hr, 'POST', '/workers', {
      name: '郑四',
      idNumber: testIdNumber('F'),
      gender: 'M',
      orgCode: '330106001001',
      post: 'grid_worker',
    });
    expect(wrongGender.statusCode).toBe(400);
    expect(wrongGender.json().error.message).toBe('性别：与身份证号不符');
    expect(wrongGender.json().error.details.issues[0].field).toBe('gender');
    const wrongBirth = await call(hr, 'POST', '/workers', {
      name: '郑四',
      idNumber: testIdNumber('F', '1990-05-17'),
      birthDate: '1990-05-18',
      orgCode: '330106001001',
      post: 'grid_worker',
    });
    expect(wrongBirth.json().error.message).toBe('出生日期：与身份证号不符');
    const patchGender = await call(hr, 'PATCH', `/workers/${w.id}`, { gender: 'M' });
    expect(patchGender.statusCode).toBe(400);
    expect(patchGender.json().error.details.issues[0].field).toBe('gender');
  });

  it('rejects bad codes and dates field by field', async () => {
    const base = { name: '王五', idNumber: testIdNumber(), orgCode: '330106001001', post: 'grid_worker' };
    for (const [payload, field] of [
      [{ ethnicity: '57' }, 'ethnicity'],
      [{ qualificationLevel: 'expert' }, 'qualificationLevel'],
      [{ educationMode: 'evening' }, 'educationMode'],
      [{ certificateDate: '2024-02-30' }, 'certificateDate'],
      [{ posts: ['boss'] }, 'posts.0'],
      [{ emergencyContactPhone: '12345' }, 'emergencyContactPhone'],
      [{ post: 'grid_worker', posts: ['party_secretary'] }, 'post'],
    ] as const) {
      const res = await call(hr, 'POST', '/workers', { ...base, ...payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.details.issues[0].field).toBe(field);
    }
    const noPost = await call(hr, 'POST', '/workers', { name: '王五', idNumber: testIdNumber(), orgCode: '330106001001' });
    expect(noPost.json().error.message).toBe('岗位：必填');
  });

  it('edits record fields into the history, masked, newest first and paged', async () => {
    const w = await register({ name: '冯六', phone: '13811112222', address: '浙江省杭州市西湖区曙光路2号' });
    const res = await call(lead, 'PATCH', `/workers/${w.id}`, {
      phone: '13833334444',
      address: '浙江省杭州市西湖区文三路3号',
      posts: ['grid_worker', 'deputy_director'],
      ethnicity: '01',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      post: 'grid_worker',
      posts: ['deputy_director', 'grid_worker'],
      postCategory: 'deputy',
      isConcurrent: false,
    });
    const page = await call(hr, 'GET', `/workers/${w.id}/history?pageSize=4`);
    expect(page.statusCode).toBe(200);
    const body = page.json() as {
      items: { id: number; action: string; field: string; oldValue: string | null; newValue: string | null }[];
      total: number;
    };
    expect(body.items).toHaveLength(4);
    expect(body.total).toBeGreaterThan(4);
    expect(body.items.map((i) => i.id)).toEqual([...body.items.map((i) => i.id)].sort((a, b) => b - a));
    expect(body.items.every((i) => i.action === 'update')).toBe(true);
    const phone = body.items.find((i) => i.field === 'phone')!;
    expect(phone).toMatchObject({ oldValue: '138****2222', newValue: '138****4444' });
    expect(JSON.stringify(body)).not.toMatch(/1383333|曙光路|文三路/);
    const second = await call(hr, 'GET', `/workers/${w.id}/history?page=2&pageSize=4`);
    expect(second.json().items.length).toBeGreaterThan(0);
    expect(second.json().items.every((i: { action: string }) => i.action === 'create')).toBe(true);
    expect((await call(hr, 'GET', `/workers/${outsider}/history`)).statusCode).toBe(404);
    expect((await call(hr, 'GET', `/workers/${w.id}/history?pageSize=500`)).statusCode).toBe(400);
  });

  it('walks the lifecycle with reasons, refuses illegal moves, and audits each step', async () => {
    const w = await register({ name: '陈七', status: 'probation', joinCommunityDate: '2025-01-01', probationEndDate: '2025-07-01' });
    const status = (cookie: string, payload: object) => call(cookie, 'POST', `/workers/${w.id}/status`, payload);
    const confirm = await status(lead, { status: 'active', effectiveDate: '2025-07-01' });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json()).toMatchObject({ status: 'active', statusDate: '2025-07-01', probationEndDate: '2025-07-01' });

    const noType = await status(lead, { status: 'on_leave', effectiveDate: '2026-03-01' });
    expect(noType.statusCode).toBe(400);
    expect(noType.json().error.details.issues[0].field).toBe('leaveType');
    expect(noType.json().error.message).toMatch(/^离岗类型：必填/);
    const early = await status(lead, { status: 'on_leave', leaveType: 'sick', effectiveDate: '2000-01-01' });
    expect(early.json().error.details.issues[0].field).toBe('effectiveDate');
    const leave = await status(lead, {
      status: 'on_leave',
      leaveType: 'maternity',
      effectiveDate: '2026-03-01',
      leaveEndDate: '2026-09-01',
    });
    expect(leave.statusCode).toBe(200);
    expect(leave.json()).toMatchObject({
      status: 'on_leave',
      leaveType: 'maternity',
      statusDate: '2026-03-01',
      leaveEndDate: '2026-09-01',
    });

    const noReason = await status(hr, { status: 'exited', effectiveDate: '2026-10-01' });
    expect(noReason.json().error.details.issues[0].field).toBe('exitReason');
    const otherNoText = await status(hr, { status: 'exited', exitReason: 'other', effectiveDate: '2026-10-01' });
    expect(otherNoText.json().error.details.issues[0].field).toBe('reason');
    const badReason = await status(hr, { status: 'exited', exitReason: 'bored', effectiveDate: '2026-10-01' });
    expect(badReason.json().error.details.issues[0].field).toBe('exitReason');
    const exit = await status(hr, { status: 'exited', exitReason: 'resignation', reason: '个人原因', effectiveDate: '2026-10-01' });
    expect(exit.json()).toMatchObject({
      status: 'exited',
      exitReason: 'resignation',
      exitDate: '2026-10-01',
      statusReason: '个人原因',
      leaveType: null,
    });

    const back = await status(hr, { status: 'active', effectiveDate: '2026-11-01' });
    expect(back.statusCode).toBe(400);
    expect(back.json().error.message).toMatch(/^状态：不能从“已退出”直接改为“在岗”/);
    expect(back.json().error.details.issues[0].field).toBe('status');
    const patchBack = await call(hr, 'PATCH', `/workers/${w.id}`, { status: 'active' });
    expect(patchBack.statusCode).toBe(400);
    expect(
      (await call(hr, 'POST', `/workers/${w.id}/transfer`, { toOrgCode: '330106001002', effectiveDate: '2026-11-01' })).statusCode,
    ).toBe(400);
    const leadReinstate = await status(lead, { status: 'active', reinstate: true, effectiveDate: '2026-11-01' });
    expect(leadReinstate.statusCode).toBe(403);
    const reinstate = await status(hr, { status: 'active', reinstate: true, reason: '复核撤销', effectiveDate: '2026-11-01' });
    expect(reinstate.statusCode).toBe(200);
    expect(reinstate.json()).toMatchObject({ status: 'active', exitReason: null, exitDate: null });
    const same = await status(hr, { status: 'active', effectiveDate: '2026-11-02' });
    expect(same.json().error.message).toBe('状态：已是“在岗”');
    expect((await status(region, { status: 'on_leave', leaveType: 'sick', effectiveDate: '2026-12-01' })).statusCode).toBe(403);
    expect(
      (await call(hr, 'POST', `/workers/${outsider}/status`, { status: 'on_leave', leaveType: 'sick', effectiveDate: '2026-12-01' }))
        .statusCode,
    ).toBe(404);

    const audits = await auditRows(w.id, 'worker.status');
    expect(audits).toHaveLength(4);
    expect(JSON.parse(audits[2]!.after_json!)).toMatchObject({ status: 'exited', exitReason: 'resignation' });
    expect(JSON.parse(audits[3]!.after_json!)).toMatchObject({ status: 'active', reinstate: true });
    const statusHistory = (await historyRows(w.id)).filter((h) => h.field === 'status').map((h) => [h.old_value, h.new_value]);
    expect(statusHistory).toEqual([
      [null, 'probation'],
      ['probation', 'active'],
      ['active', 'on_leave'],
      ['on_leave', 'exited'],
      ['exited', 'active'],
    ]);
  });

  it('lets a plain edit confirm a probationer, and nothing else', async () => {
    const w = await register({ name: '沈七', status: 'probation' });
    const onLeave = await call(lead, 'PATCH', `/workers/${w.id}`, { status: 'on_leave' });
    expect(onLeave.statusCode).toBe(400);
    expect(onLeave.json().error.message).toMatch(/^状态：请通过“变更状态”办理/);
    const confirm = await call(lead, 'PATCH', `/workers/${w.id}`, { status: 'active' });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json().status).toBe('active');
    const history = (await historyRows(w.id)).filter((h) => h.action === 'update').map((h) => [h.field, h.old_value, h.new_value]);
    expect(history).toContainEqual(['status', 'probation', 'active']);
  });

  it('transfers within scope and keeps the placements', async () => {
    const w = await register({ name: '褚八', joinCommunityDate: '2020-01-01' });
    const move = await call(hr, 'POST', `/workers/${w.id}/transfer`, {
      toOrgCode: '330106001002',
      effectiveDate: '2026-02-01',
      reason: '工作需要',
    });
    expect(move.statusCode).toBe(200);
    expect(move.json()).toMatchObject({ orgCode: '330106001002', orgName: '西湖社区', joinCommunityDate: '2026-02-01' });
    const placements = await call(hr, 'GET', `/workers/${w.id}/assignments`);
    expect(placements.json().items).toEqual([
      { orgCode: '330106001001', orgName: '保俶塔社区', fromDate: '2020-01-01', toDate: '2026-02-01', reason: null },
      { orgCode: '330106001002', orgName: '西湖社区', fromDate: '2026-02-01', toDate: null, reason: '工作需要' },
    ]);
    const [audit] = await auditRows(w.id, 'worker.transfer');
    expect(JSON.parse(audit!.before_json!)).toEqual({ orgCode: '330106001001', joinCommunityDate: '2020-01-01' });
    expect(JSON.parse(audit!.after_json!)).toMatchObject({ orgCode: '330106001002', effectiveDate: '2026-02-01', reason: '工作需要' });
    const history = (await historyRows(w.id)).filter((h) => h.action === 'transfer');
    expect(history.map((h) => [h.field, h.old_value, h.new_value])).toEqual([
      ['orgCode', '330106001001', '330106001002'],
      ['joinCommunityDate', '2020-01-01', '2026-02-01'],
    ]);

    const outOfScope = await call(hr, 'POST', `/workers/${w.id}/transfer`, { toOrgCode: '330108001001', effectiveDate: '2026-03-01' });
    expect(outOfScope.statusCode).toBe(400);
    expect(outOfScope.json().error.details.issues[0].field).toBe('toOrgCode');
    expect(outOfScope.json().error.message).toBe('调入组织：不存在或不在您的管辖范围内');
    const sameOrg = await call(hr, 'POST', `/workers/${w.id}/transfer`, { toOrgCode: '330106001002', effectiveDate: '2026-03-01' });
    expect(sameOrg.json().error.message).toBe('调入组织：与当前所属组织相同');
    const backdated = await call(hr, 'POST', `/workers/${w.id}/transfer`, { toOrgCode: '330106001001', effectiveDate: '2025-12-31' });
    expect(backdated.json().error.details.issues[0].field).toBe('effectiveDate');
    const badDate = await call(hr, 'POST', `/workers/${w.id}/transfer`, { toOrgCode: '330106001001', effectiveDate: '2026/03/01' });
    expect(badDate.json().error.details.issues[0].field).toBe('effectiveDate');
    const other = await register({ name: '卫九' });
    const byLead = await call(lead, 'POST', `/workers/${other.id}/transfer`, { toOrgCode: '330106001002', effectiveDate: '2026-03-01' });
    expect(byLead.statusCode).toBe(400); // a community lead's scope is the community itself
    expect(
      (await call(region, 'POST', `/workers/${other.id}/transfer`, { toOrgCode: '330106001002', effectiveDate: '2026-03-01' })).statusCode,
    ).toBe(403);
    expect(
      (await call(hr, 'POST', `/workers/${outsider}/transfer`, { toOrgCode: '330106001002', effectiveDate: '2026-03-01' })).statusCode,
    ).toBe(404);
    expect((await call(hr, 'GET', `/workers/${outsider}/assignments`)).statusCode).toBe(404);
  });

  it('records a new org set by a plain edit as a placement too', async () => {
    const w = await register({ name: '蒋十' });
    const res = await call(hr, 'PATCH', `/workers/${w.id}`, { orgCode: '330106001002' });
    expect(res.statusCode).toBe(200);
    const items = (await call(hr, 'GET', `/workers/${w.id}/assignments`)).json().items as { orgCode: string; toDate: string | null }[];
    expect(items.map((i) => [i.orgCode, i.toDate === null])).toEqual([
      ['330106001001', false],
      ['330106001002', true],
    ]);
  });
});
