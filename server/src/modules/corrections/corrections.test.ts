import { afterAll, beforeAll, expect, it } from 'vitest';
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

describeEachDatabase('correction requests', (kind) => {
  let env: TestEnv;
  let hr: string;
  let hrWest: string;
  let hrOut: string;
  let lead: string;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    hr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
    hrWest = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106002')).username);
    hrOut = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330108001')).username);
    lead = await loginCookie(env.app, (await createTestUser(env.deps, 'community_lead', '330106001001')).username);
  });
  afterAll(async () => env?.close());

  const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    env.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });
  /** A worker on the roll of 保俶塔社区 and a signed-in account linked to the record. */
  const workerWithLogin = async (overrides: Record<string, unknown> = {}) => {
    const w = await createTestWorker(env.deps, '330106001001', {
      name: '自助',
      phone: '13800001111',
      address: '浙江省杭州市西湖区保俶路1号',
      ...overrides,
    });
    const u = await createTestUser(env.deps, 'worker', '330106001001', { workerId: w.id });
    return { worker: w, cookie: await loginCookie(env.app, u.username) };
  };
  const request = (cookie: string, workerId: number, changes: object, reason = '信息有误') =>
    call(cookie, 'POST', `/workers/${workerId}/corrections`, { changes, reason });
  const auditRows = (action: string, entityId: number) =>
    env.deps.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .where('entity_id', '=', String(entityId))
      .orderBy('seq')
      .execute();

  it('request → approve: the record, its history and the audit log show the change', async () => {
    const { worker, cookie } = await workerWithLogin();
    const res = await request(
      cookie,
      worker.id,
      { phone: '139 0000 2222', address: '浙江省杭州市西湖区北山路8号', school: '浙江大学' },
      '手机号已更换，搬家',
    );
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ workerId: worker.id, workerName: '自助', orgCode: '330106001001', orgName: '保俶塔社区', status: 'pending' });
    expect(c.changes).toEqual([
      { field: 'phone', oldValue: '138****1111', newValue: '139****2222' },
      { field: 'address', oldValue: '浙江省杭州市西湖区保俶路1号', newValue: '浙江省杭州市西湖区北山路8号' },
      { field: 'school', oldValue: null, newValue: '浙江大学' },
    ]);

    const queue = await call(hr, 'GET', '/corrections?status=pending');
    expect(queue.statusCode).toBe(200);
    expect(queue.json().items.map((i: { id: number }) => i.id)).toContain(c.id);

    const ok = await call(hr, 'POST', `/corrections/${c.id}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', reviewerName: '测试street_hr' });
    expect(ok.json().reviewedAt).toBeTruthy();

    const record = (await call(cookie, 'GET', `/workers/${worker.id}`)).json();
    expect(record).toMatchObject({ phoneMasked: '139****2222', address: '浙江省杭州市西湖区北山路8号', school: '浙江大学' });
    const reveal = await call(hr, 'POST', `/workers/${worker.id}/reveal`, { fields: ['phone'] });
    expect(reveal.json().phone).toBe('13900002222');

    const history = (await call(cookie, 'GET', `/workers/${worker.id}/history`)).json().items as {
      field: string;
      oldValue: string;
      newValue: string;
    }[];
    expect(history.find((h) => h.field === 'phone')).toMatchObject({ oldValue: '138****1111', newValue: '139****2222' });
    expect(history.find((h) => h.field === 'school')).toMatchObject({ oldValue: null, newValue: '浙江大学' });

    expect(await auditRows('correction.request', c.id)).toHaveLength(1);
    const [approve] = await auditRows('correction.approve', c.id);
    expect(JSON.parse(approve!.after_json!)).toMatchObject({
      workerId: worker.id,
      status: 'approved',
      fields: ['phone', 'address', 'school'],
    });
    const [update] = await auditRows('worker.update', worker.id);
    expect(update!.seq).toBe(approve!.seq - 1);
    expect(update!.after_json).not.toContain('13900002222');

    const again = await call(hr, 'POST', `/corrections/${c.id}/approve`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('已处理');
  });

  it('reject needs a reason, which the worker then sees', async () => {
    const { worker, cookie } = await workerWithLogin();
    const created = await request(cookie, worker.id, { politicalStatus: '01', partyJoinDate: '2015-07-01' });
    expect(created.statusCode, created.body).toBe(201);
    const c = created.json();
    const empty = await call(hr, 'POST', `/corrections/${c.id}/reject`, { reason: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details.issues[0]).toMatchObject({ field: 'reason' });
    expect(empty.json().error.details.issues[0].message).toContain('原因');
    const rejected = await call(hr, 'POST', `/corrections/${c.id}/reject`, { reason: '请携带党员证明到街道办理' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const mine = (await call(cookie, 'GET', `/workers/${worker.id}/corrections`)).json();
    expect(mine.items[0]).toMatchObject({ id: c.id, status: 'rejected', reviewReason: '请携带党员证明到街道办理' });
    expect((await call(cookie, 'GET', `/workers/${worker.id}`)).json().politicalStatus).not.toBe('01');
    expect(await auditRows('correction.reject', c.id)).toHaveLength(1);
    expect((await call(hr, 'POST', `/corrections/${c.id}/approve`)).statusCode).toBe(409);
  });

  it('refuses fields outside the whitelist and invalid values, with Chinese field messages', async () => {
    const { worker, cookie } = await workerWithLogin();
    const status = await request(cookie, worker.id, { status: 'exited' });
    expect(status.statusCode).toBe(400);
    expect(status.json().error.details.issues[0].message).toContain('不能申请更正');
    expect(status.json().error.details.issues[0].message).toContain('status');
    const id = await request(cookie, worker.id, { idNumber: '11010519491231002X' });
    expect(id.statusCode).toBe(400);
    const phone = await request(cookie, worker.id, { phone: '12345' });
    expect(phone.statusCode).toBe(400);
    expect(phone.json().error.details.issues[0]).toMatchObject({ field: 'phone' });
    expect(phone.json().error.message).toContain('手机号：格式错误');
    const emergency = await request(cookie, worker.id, { emergencyContactPhone: 'abc' });
    expect(emergency.json().error.message).toContain('紧急联系人电话：格式错误');
    const date = await request(cookie, worker.id, { certificateDate: '2024-02-30' });
    expect(date.statusCode).toBe(400);
    expect(date.json().error.details.issues[0].message).toContain('取证时间');
    const code = await request(cookie, worker.id, { ethnicity: 'martian' });
    expect(code.statusCode).toBe(400);
    expect((await request(cookie, worker.id, {})).statusCode).toBe(400);
    expect((await request(cookie, worker.id, { school: '某校' }, '')).statusCode).toBe(400);
    const same = await request(cookie, worker.id, { phone: '13800001111' });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.message).toContain('与当前档案相同');
    expect((await call(cookie, 'GET', `/workers/${worker.id}/corrections`)).json().total).toBe(0);
  });

  it('allows several pending requests but not two for one field; the requester may withdraw', async () => {
    const { worker, cookie } = await workerWithLogin();
    const first = (await request(cookie, worker.id, { major: '社会工作' })).json();
    expect((await request(cookie, worker.id, { school: '浙江工业大学' })).statusCode).toBe(201);
    const dup = await request(cookie, worker.id, { major: '行政管理' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toContain('专业：已有待审核的更正申请');
    expect((await call(hr, 'POST', `/corrections/${first.id}/withdraw`)).statusCode).toBe(403);
    const w = await call(cookie, 'POST', `/corrections/${first.id}/withdraw`);
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().status).toBe('withdrawn');
    expect((await call(hr, 'POST', `/corrections/${first.id}/approve`)).statusCode).toBe(409);
    expect((await request(cookie, worker.id, { major: '行政管理' })).statusCode).toBe(201);
    expect(await auditRows('correction.withdraw', first.id)).toHaveLength(1);
  });

  it('refuses to approve when the record changed since the request (409, nothing applied)', async () => {
    const { worker, cookie } = await workerWithLogin();
    const c = (await request(cookie, worker.id, { phone: '13900003333', major: '社会学' })).json();
    expect((await call(hr, 'PATCH', `/workers/${worker.id}`, { phone: '13700004444' })).statusCode).toBe(200);
    const res = await call(hr, 'POST', `/corrections/${c.id}/approve`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('手机号');
    expect(res.json().error.message).toContain('已被修改');
    const record = (await call(hr, 'GET', `/workers/${worker.id}`)).json();
    expect(record).toMatchObject({ phoneMasked: '137****4444', major: null });
    expect((await call(hr, 'GET', `/workers/${worker.id}/corrections`)).json().items[0].status).toBe('pending');

    const plain = (await request(cookie, worker.id, { hukou: '浙江省温州市' })).json();
    expect((await call(hr, 'PATCH', `/workers/${worker.id}`, { hukou: '浙江省宁波市' })).statusCode).toBe(200);
    expect((await call(hr, 'POST', `/corrections/${plain.id}/approve`)).statusCode).toBe(409);
  });

  it('keeps scope: other streets, other workers and community leads', async () => {
    const { worker, cookie } = await workerWithLogin();
    const other = await workerWithLogin({ name: '同事' });
    const c = (await request(cookie, worker.id, { formerName: '张小三' })).json();

    // Another worker cannot file on, list, or withdraw someone else's record.
    expect((await request(other.cookie, worker.id, { formerName: '冒名' })).statusCode).toBe(404);
    expect((await call(other.cookie, 'GET', `/workers/${worker.id}/corrections`)).statusCode).toBe(404);
    expect((await call(other.cookie, 'POST', `/corrections/${c.id}/withdraw`)).statusCode).toBe(404);
    expect((await call(other.cookie, 'GET', '/corrections')).json().items).toEqual([]);
    // Workers do not review.
    expect((await call(cookie, 'POST', `/corrections/${c.id}/approve`)).statusCode).toBe(403);

    // Other streets' officers see nothing and cannot decide.
    for (const outsider of [hrWest, hrOut]) {
      expect((await call(outsider, 'POST', `/corrections/${c.id}/approve`)).statusCode).toBe(404);
      expect((await call(outsider, 'POST', `/corrections/${c.id}/reject`, { reason: '越权' })).statusCode).toBe(404);
      expect((await call(outsider, 'GET', `/workers/${worker.id}/corrections`)).statusCode).toBe(404);
      expect((await call(outsider, 'GET', '/corrections')).json().items.map((i: { id: number }) => i.id)).not.toContain(c.id);
    }
    expect((await call(hr, 'GET', '/corrections?orgCode=330108')).json().items).toEqual([]);

    // The community lead sees the community's requests but does not decide them; staff cannot file.
    expect((await call(lead, 'GET', '/corrections?status=pending')).json().items.map((i: { id: number }) => i.id)).toContain(c.id);
    expect((await call(lead, 'GET', `/workers/${worker.id}/corrections`)).statusCode).toBe(200);
    expect((await call(lead, 'POST', `/corrections/${c.id}/approve`)).statusCode).toBe(403);
    expect((await call(lead, 'POST', `/corrections/${c.id}/reject`, { reason: '无权' })).statusCode).toBe(403);
    expect((await request(hr, worker.id, { formerName: '代办' })).statusCode).toBe(403);
    expect((await call(hr, 'GET', `/corrections/999999/approve`)).statusCode).toBe(404);
    expect((await call(hr, 'POST', `/corrections/999999/approve`)).statusCode).toBe(404);
  });

  it('never stores a phone number in plaintext', async () => {
    const { worker, cookie } = await workerWithLogin({ emergencyContactPhone: '13600005555' });
    const c = (await request(cookie, worker.id, { phone: '13911112222', emergencyContactPhone: '0571-88886666' })).json();
    expect(c.changes).toEqual([
      { field: 'phone', oldValue: '138****1111', newValue: '139****2222' },
      { field: 'emergencyContactPhone', oldValue: '136****5555', newValue: '057*****6666' },
    ]);
    const raw = await env.deps.db.kysely.selectFrom('correction_requests').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    const text = JSON.stringify(raw);
    for (const secret of ['13911112222', '057188886666', '13800001111', '13600005555']) expect(text).not.toContain(secret);
    const audit = JSON.stringify(await env.deps.db.kysely.selectFrom('audit_log').selectAll().execute());
    expect(audit).not.toContain('13911112222');
    expect((await call(hr, 'POST', `/corrections/${c.id}/approve`)).statusCode).toBe(200);
    const reveal = (await call(hr, 'POST', `/workers/${worker.id}/reveal`, { fields: ['phone', 'emergencyContactPhone'] })).json();
    expect(reveal).toEqual({ phone: '13911112222', emergencyContactPhone: '057188886666' });
  });
});
