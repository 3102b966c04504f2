import { beforeEach, expect, it } from 'vitest';
import { excel } from '../../lib/excel/exceljs.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { createTestUser, createTestWorker, loginCookie, testIdNumber, type TestEnv } from '../../../test/factories.ts';
import { approveMonth, COMMUNITY, gradeWorker, csvBody, usePayrollTestEnv } from './payroll.test-support.ts';

const csv = csvBody;

describeEachDatabase('payroll monthly inputs: delete, import; floor report export', (kind) => {
  const setup = usePayrollTestEnv(kind, { streetHr: true });
  let env: TestEnv;
  let hr: string;
  beforeEach(() => {
    ({ env, hr } = setup);
  });

  const saveInput = async (cookie: string, workerId: number, month: string, amountFen = 30_000) => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/pay-inputs',
      headers: { cookie },
      payload: { workerId, month, kind: 'allowance', code: 'post_allowance', name: '岗位津贴', amountFen },
    });
    expect(res.statusCode).toBe(200);
    return res.json().id as number;
  };
  const del = (cookie: string, id: number) => env.app.inject({ method: 'DELETE', url: `/api/v1/pay-inputs/${id}`, headers: { cookie } });

  it('lists a month in pages with the total, filtered by name; refuses a bad page size', async () => {
    const ids: number[] = [];
    for (const name of ['王一', '王二', '李三', '赵四', '王五']) {
      const w = await createTestWorker(env.deps, COMMUNITY, { name });
      ids.push(await saveInput(hr, w.id, '2026-11'));
    }
    const list = (query: string) =>
      env.app.inject({ method: 'GET', url: `/api/v1/pay-inputs?month=2026-11&${query}`, headers: { cookie: hr } });
    const first = (await list('pageSize=2')).json();
    expect(first.total).toBe(5);
    expect(first.items.map((i: { id: number }) => i.id)).toEqual(ids.slice(0, 2));
    const last = (await list('pageSize=2&page=3')).json();
    expect(last.items.map((i: { workerName: string }) => i.workerName)).toEqual(['王五']);
    const wang = (await list('q=王&pageSize=2&page=2')).json();
    expect(wang).toMatchObject({ total: 3, items: [{ workerName: '王五' }] });
    const bad = await list('pageSize=500');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('每页条数');
    // Another street sees none of them.
    const other = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106002')).username);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/pay-inputs?month=2026-11', headers: { cookie: other } })).json()).toEqual({
      items: [],
      total: 0,
    });
  });

  it('deletes an input of an open month, audited; refuses once the month is approved', async () => {
    const w = await createTestWorker(env.deps, COMMUNITY);
    await gradeWorker(env.deps, w.id, 'staff', 2);
    const id = await saveInput(hr, w.id, '2026-11');
    const res = await del(hr, id);
    expect(res.statusCode).toBe(204);
    const left = await env.app.inject({ method: 'GET', url: '/api/v1/pay-inputs?month=2026-11', headers: { cookie: hr } });
    expect(left.json()).toEqual({ items: [], total: 0 });
    expect((await del(hr, id)).statusCode).toBe(404);
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .select(['entity_id', 'before_json'])
      .where('action', '=', 'payroll.input.delete')
      .executeTakeFirstOrThrow();
    expect(Number(audit.entity_id)).toBe(w.id);
    expect(JSON.parse(audit.before_json!)).toMatchObject({ month: '2026-11', code: 'post_allowance', amountFen: 30_000 });

    const kept = await saveInput(hr, w.id, '2026-10');
    await approveMonth(env.deps, '2026-10');
    const refused = await del(hr, kept);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('2026-10 的工资已审批，录入项不能再删除；如需更正请在以后月份录入调整项');
  });

  it('keeps deletion in scope: another street gets 404, a worker and an auditor are denied', async () => {
    const w = await createTestWorker(env.deps, COMMUNITY);
    const id = await saveInput(hr, w.id, '2026-11');
    const outHr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330108001')).username);
    expect((await del(outHr, id)).statusCode).toBe(404);
    const workerUser = await loginCookie(env.app, (await createTestUser(env.deps, 'worker', COMMUNITY, { workerId: w.id })).username);
    expect((await del(workerUser, id)).statusCode).toBe(403);
    const auditor = await loginCookie(env.app, (await createTestUser(env.deps, 'auditor', '330106')).username);
    expect((await del(auditor, id)).statusCode).toBe(403);
    expect((await del(hr, 0)).statusCode).toBe(400);
    expect(await env.deps.db.kysely.selectFrom('pay_inputs').select('id').execute()).toHaveLength(1);
  });

  it('imports a month’s inputs from a sheet, all or nothing, with row errors', async () => {
    const idA = testIdNumber();
    const a = await createTestWorker(env.deps, COMMUNITY, { name: '李津贴', idNumber: idA });
    const idB = testIdNumber();
    await createTestWorker(env.deps, '330106001002', { name: '陈扣款', idNumber: idB });
    const good = csv([
      '姓名,身份证号,类别,项目名称,代码,金额,备注',
      `李津贴,${idA},津贴,交通补贴,traffic,"1,200.5",十一月`,
      `李津贴,${idA},专项附加扣除,子女教育,,2000,`,
      `陈扣款,${idB},税后扣款,工会会费,,0.1,`,
    ]);
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/pay-inputs/import?month=2026-11',
      headers: { cookie: hr, 'content-type': 'text/csv' },
      payload: good,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ isDryRun: false, totalRows: 3, saved: 3, errors: [] });
    const list = (await env.app.inject({ method: 'GET', url: '/api/v1/pay-inputs?month=2026-11', headers: { cookie: hr } })).json();
    expect(list.items.map((i: Record<string, unknown>) => [i.workerName, i.kind, i.name, i.amountFen])).toEqual([
      ['李津贴', 'allowance', '交通补贴', 120_050],
      ['李津贴', 'special_deduction', '子女教育', 200_000],
      ['陈扣款', 'post_tax_deduction', '工会会费', 10],
    ]);
    // Re-importing the same item replaces its amount instead of adding a second one.
    const again = await env.app.inject({
      method: 'POST',
      url: '/api/v1/pay-inputs/import?month=2026-11',
      headers: { cookie: hr, 'content-type': 'text/csv' },
      payload: csv(['姓名,身份证号,类别,项目名称,金额', `李津贴,${idA},专项附加扣除,子女教育,1000`]),
    });
    expect(again.json().saved).toBe(1);
    const after = (
      await env.app.inject({ method: 'GET', url: `/api/v1/pay-inputs?month=2026-11&workerId=${a.id}`, headers: { cookie: hr } })
    ).json();
    expect(after.items.map((i: { amountFen: number }) => i.amountFen)).toEqual([120_050, 100_000]);

    const bad = await env.app.inject({
      method: 'POST',
      url: '/api/v1/pay-inputs/import?month=2026-12',
      headers: { cookie: hr, 'content-type': 'text/csv' },
      payload: csv([
        '姓名,身份证号,类别,项目名称,金额',
        `李津贴,${idA},奖金,年终奖,100`,
        `李津贴,${idA},津贴,交通补贴,1.234`,
        `李津贴,${idA},津贴,岗位津贴,300`,
      ]),
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().error.details.errors as { message: string }[]).map((e) => e.message)).toEqual([
      '第2行 类别：“奖金”不是有效类别，应为 津贴、免税补贴、税前扣款、税后扣款、专项附加扣除、其他扣除',
      '第3行 金额：最多两位小数（元）',
    ]);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/pay-inputs?month=2026-12', headers: { cookie: hr } })).json().total).toBe(
      0,
    );

    const badMonth = await env.app.inject({
      method: 'POST',
      url: '/api/v1/pay-inputs/import?month=2026-13',
      headers: { cookie: hr, 'content-type': 'text/csv' },
      payload: good,
    });
    expect(badMonth.statusCode).toBe(400);
    expect(badMonth.json().error.message).toContain('月份');

    const outHr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330108001')).username);
    const out = await env.app.inject({
      method: 'POST',
      url: '/api/v1/pay-inputs/import?month=2026-12&dryRun=1',
      headers: { cookie: outHr, 'content-type': 'text/csv' },
      payload: good,
    });
    expect(out.statusCode).toBe(200);
    expect(out.json().errors.map((e: { message: string }) => e.message)).toEqual([
      '第2行 身份证号：未找到该人员，或不在您的管辖范围内',
      '第3行 身份证号：未找到该人员，或不在您的管辖范围内',
      '第4行 身份证号：未找到该人员，或不在您的管辖范围内',
    ]);
  });

  it('downloads the floor report as a sheet for the region admin, audited; 404 outside scope, 403 for a worker', async () => {
    const w = await createTestWorker(env.deps, COMMUNITY, { name: '低于保底' });
    await gradeWorker(env.deps, w.id, 'staff', 3);
    await approveMonth(env.deps, '2026-11');
    const admin = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    const res = await env.app.inject({
      method: 'GET',
      url: '/api/v1/payroll/floor-report/export?orgCode=330106&year=2026',
      headers: { cookie: admin },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new excel.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getRow(2).getCell(1).value)).toContain('88,800.00');
    expect((ws.getRow(3).values as unknown[]).slice(1, 9)).toEqual([
      '序号',
      '姓名',
      '所在社区',
      '发放月数',
      '年度应发',
      '折算全年',
      '保底线',
      '差额',
    ]);
    // 其他岗 3级 with no inputs: 4,175 yuan a month → 50,100 a year, 38,700 below 88,800.
    expect((ws.getRow(4).values as unknown[]).slice(1, 9)).toEqual([1, '低于保底', '保俶塔社区', 1, 4175, 50100, 88800, 38700]);
    expect(ws.rowCount).toBe(4);
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .select(['entity_id', 'after_json'])
      .where('action', '=', 'payroll.floorReport.export')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ year: 2026, rows: 1 });

    const out = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330108')).username);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/v1/payroll/floor-report/export?orgCode=330106&year=2026',
          headers: { cookie: out },
        })
      ).statusCode,
    ).toBe(404);
    const workerUser = await loginCookie(env.app, (await createTestUser(env.deps, 'worker', COMMUNITY, { workerId: w.id })).username);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/v1/payroll/floor-report/export?orgCode=330106&year=2026',
          headers: { cookie: workerUser },
        })
      ).statusCode,
    ).toBe(403);
    const badYear = await env.app.inject({
      method: 'GET',
      url: '/api/v1/payroll/floor-report/export?orgCode=330106&year=26',
      headers: { cookie: admin },
    });
    expect(badYear.statusCode).toBe(400);
    expect(badYear.json().error.message).toContain('年度');
  });
});
