import { beforeEach, expect, it } from 'vitest';
import { excel } from '../../lib/excel/exceljs.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { createTestUser, createTestWorker, loginCookie, testIdNumber, type TestEnv } from '../../../test/factories.ts';
import { readTaxOpeningsUnscoped } from './payroll-openings.repo.ts';
import { approveMonth, COMMUNITY, gradeWorker, STREET, csvBody, usePayrollTestEnv } from './payroll.test-support.ts';

const OPENING = {
  year: 2026,
  throughMonth: '2026-03',
  taxMonths: 3,
  cumGrossFen: 2_400_000,
  cumTaxFreeFen: 30_000,
  cumInsuranceFen: 299_700,
  cumSpecialFen: 600_000,
  cumOtherFen: 0,
  cumTaxFen: 5_409,
};

const csv = csvBody;

const HEADER =
  '姓名,身份证号,年度,截至月份,累计月数,累计收入,累计免税收入,累计专项扣除(社保公积金),累计专项附加扣除,累计其他扣除,累计已预扣税额';

describeEachDatabase('payroll opening tax balances', (kind) => {
  const setup = usePayrollTestEnv(kind, { streetHr: true });
  let env: TestEnv;
  let hr: string;
  beforeEach(() => {
    ({ env, hr } = setup);
  });

  const put = (cookie: string, workerId: number, payload: object) =>
    env.app.inject({ method: 'PUT', url: `/api/v1/workers/${workerId}/tax-opening`, headers: { cookie }, payload });

  it('saves, replaces and lists a worker’s opening of a year, audited, and hands it to the compute keyed by worker', async () => {
    const w = await createTestWorker(env.deps, COMMUNITY, { name: '王期初' });
    const saved = await put(hr, w.id, OPENING);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ workerId: w.id, workerName: '王期初', orgCode: COMMUNITY, orgName: '保俶塔社区', ...OPENING });

    const replaced = await put(hr, w.id, { ...OPENING, throughMonth: '2026-04', taxMonths: 4, cumTaxFen: 7_000, note: '原系统导出' });
    expect(replaced.json()).toMatchObject({ throughMonth: '2026-04', taxMonths: 4, cumTaxFen: 7_000, note: '原系统导出' });

    const list = await env.app.inject({
      method: 'GET',
      url: `/api/v1/payroll/tax-openings?orgCode=${STREET}&year=2026`,
      headers: { cookie: hr },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(1);
    expect(list.json().items[0]).toMatchObject({ workerName: '王期初', cumGrossFen: 2_400_000, throughMonth: '2026-04' });
    const otherYear = await env.app.inject({ method: 'GET', url: '/api/v1/payroll/tax-openings?year=2025', headers: { cookie: hr } });
    expect(otherYear.json()).toEqual({ items: [], total: 0 });

    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'before_json', 'after_json'])
      .where('action', '=', 'payroll.taxOpening.save')
      .orderBy('seq')
      .execute();
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[1]!.before_json!)).toMatchObject({ throughMonth: '2026-03', cumTaxFen: 5_409 });
    expect(JSON.parse(audit[1]!.after_json!)).toMatchObject({ throughMonth: '2026-04', cumTaxFen: 7_000 });

    const byWorker = await readTaxOpeningsUnscoped(env.deps.db.kysely, w.id, w.id, 2026);
    expect([...byWorker.keys()]).toEqual([w.id]);
    expect(byWorker.get(w.id)).toMatchObject({ through_month: '2026-04' });
    expect(Number(byWorker.get(w.id)!.cum_gross_fen)).toBe(2_400_000);
    expect((await readTaxOpeningsUnscoped(env.deps.db.kysely, w.id + 1, w.id + 10, 2026)).size).toBe(0);
  });

  it('refuses bad figures with a Chinese message naming the field', async () => {
    const w = await createTestWorker(env.deps, COMMUNITY);
    const cases: [object, string][] = [
      [{ ...OPENING, taxMonths: 13 }, '累计月数'],
      [{ ...OPENING, taxMonths: 0 }, '累计月数'],
      [{ ...OPENING, cumGrossFen: -1 }, '累计收入（分）：不能为负数'],
      [{ ...OPENING, cumTaxFen: 10.5 }, '累计已预扣税额（分）'],
      [{ ...OPENING, throughMonth: '2026-3' }, '截至月份'],
      [{ ...OPENING, taxMonths: 5 }, '累计月数：不能超过截至月份的月数（3）'],
      [{ ...OPENING, throughMonth: '2025-11' }, '截至月份：应在2026年内'],
    ];
    for (const [payload, text] of cases) {
      const res = await put(hr, w.id, payload);
      expect(res.statusCode, text).toBe(400);
      expect(res.json().error.message).toContain(text);
    }
    expect(await env.deps.db.kysely.selectFrom('payroll_tax_openings').selectAll().execute()).toEqual([]);
  });

  it('refuses an opening that would cover a month shegong has already approved', async () => {
    const w = await createTestWorker(env.deps, COMMUNITY, { name: '赵已发' });
    await gradeWorker(env.deps, w.id, 'staff', 3);
    await approveMonth(env.deps, '2026-02');
    const res = await put(hr, w.id, OPENING);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe(
      '赵已发 2026-02 的工资已在本系统审批，不能再录入截至 2026-03 的期初累计（期初只用于本系统首次发放之前的月份）',
    );
    // An opening through January only lies before the approved month.
    const ok = await put(hr, w.id, { ...OPENING, throughMonth: '2026-01', taxMonths: 1 });
    expect(ok.statusCode).toBe(200);
  });

  it('keeps openings in scope: another street gets 404 and an empty list, a worker and a community lead are denied', async () => {
    const w = await createTestWorker(env.deps, COMMUNITY);
    expect((await put(hr, w.id, OPENING)).statusCode).toBe(200);
    const outHr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330108001')).username);
    expect((await put(outHr, w.id, OPENING)).statusCode).toBe(404);
    const outList = await env.app.inject({ method: 'GET', url: '/api/v1/payroll/tax-openings?year=2026', headers: { cookie: outHr } });
    expect(outList.json()).toEqual({ items: [], total: 0 });
    const aimed = await env.app.inject({
      method: 'GET',
      url: `/api/v1/payroll/tax-openings?year=2026&orgCode=${STREET}`,
      headers: { cookie: outHr },
    });
    expect(aimed.json()).toEqual({ items: [], total: 0 });

    const workerUser = await loginCookie(env.app, (await createTestUser(env.deps, 'worker', COMMUNITY, { workerId: w.id })).username);
    expect((await put(workerUser, w.id, OPENING)).statusCode).toBe(403);
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/payroll/tax-openings?year=2026', headers: { cookie: workerUser } })).statusCode,
    ).toBe(403);
    const lead = await loginCookie(env.app, (await createTestUser(env.deps, 'community_lead', COMMUNITY)).username);
    expect((await put(lead, w.id, OPENING)).statusCode).toBe(403);
    const upload = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll/tax-openings/import',
      headers: { cookie: workerUser, 'content-type': 'text/csv' },
      payload: csv([HEADER]),
    });
    expect(upload.statusCode).toBe(403);
  });

  it('imports openings from CSV: yuan to exact fen, a dry run first, then all rows at once', async () => {
    const idA = testIdNumber();
    const a = await createTestWorker(env.deps, COMMUNITY, { name: '钱一', idNumber: idA });
    const idB = testIdNumber('M');
    const b = await createTestWorker(env.deps, '330106001002', { name: '孙二', idNumber: idB, gender: 'M' });
    const body = csv([
      HEADER,
      `钱一,${idA},2026,2026-06,6,"48,000.10",0.1,5994.2,6000,,1234.56`,
      `孙二,${idB},2026年,2026年5月,5,40000,,4995,0,0,0.3`,
    ]);
    const dry = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll/tax-openings/import?dryRun=1&fileName=openings.csv',
      headers: { cookie: hr, 'content-type': 'text/csv' },
      payload: body,
    });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toEqual({ isDryRun: true, totalRows: 2, saved: 0, errors: [] });
    expect(await env.deps.db.kysely.selectFrom('payroll_tax_openings').selectAll().execute()).toEqual([]);

    const done = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll/tax-openings/import',
      headers: { cookie: hr, 'content-type': 'application/octet-stream' },
      payload: body,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ isDryRun: false, totalRows: 2, saved: 2, errors: [] });
    const list = (await env.app.inject({ method: 'GET', url: '/api/v1/payroll/tax-openings?year=2026', headers: { cookie: hr } })).json();
    expect(
      list.items.map((i: Record<string, unknown>) => [
        i.workerName,
        i.throughMonth,
        i.taxMonths,
        i.cumGrossFen,
        i.cumTaxFreeFen,
        i.cumInsuranceFen,
        i.cumTaxFen,
      ]),
    ).toEqual([
      ['钱一', '2026-06', 6, 4_800_010, 10, 599_420, 123_456],
      ['孙二', '2026-05', 5, 4_000_000, 0, 499_500, 30],
    ]);
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'payroll.taxOpening.import')
      .execute();
    expect(audit.map((r) => Number(r.entity_id)).sort()).toEqual([a.id, b.id].sort());
  });

  it('reads an .xlsx sheet the same way', async () => {
    const idA = testIdNumber();
    await createTestWorker(env.deps, COMMUNITY, { name: '周三', idNumber: idA });
    const wb = new excel.Workbook();
    const ws = wb.addWorksheet('期初');
    ws.addRow(HEADER.split(','));
    ws.addRow(['周三', idA, 2026, '2026-02', 2, 16000.5, 0, 1998, 0, 0, 45.99]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll/tax-openings/import?fileName=期初.xlsx',
      headers: { cookie: hr, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().saved).toBe(1);
    const row = await env.deps.db.kysely.selectFrom('payroll_tax_openings').selectAll().executeTakeFirstOrThrow();
    expect([Number(row.cum_gross_fen), Number(row.cum_insurance_fen), Number(row.cum_tax_fen)]).toEqual([1_600_050, 199_800, 4_599]);
  });

  it('writes nothing when any row is wrong, and names every row and column', async () => {
    const idA = testIdNumber();
    await createTestWorker(env.deps, COMMUNITY, { name: '吴四', idNumber: idA });
    const idOut = testIdNumber();
    await createTestWorker(env.deps, '330108001001', { name: '滨江人', idNumber: idOut });
    const badCheck = `${idA.slice(0, 17)}${idA[17] === '1' ? '2' : '1'}`;
    const body = csv([
      HEADER,
      `吴四,${idA},2026,2026-03,3,30000,0,3000,0,0,100`,
      `吴四,${idA},2026,2026-03,3,30000.123,0,3000,0,0,100`,
      `吴四,${badCheck},2026,2026-03,3,30000,0,3000,0,0,100`,
      `滨江人,${idOut},2026,2026-03,3,30000,0,3000,0,0,100`,
      `错名,${idA},2025,2025-03,4,30000,0,3000,0,0,100`,
      `吴四,${idA},2026,2026-13,3,,0,3000,0,0,-1`,
    ]);
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll/tax-openings/import',
      headers: { cookie: hr, 'content-type': 'text/csv' },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    const messages = (res.json().error.details.errors as { message: string }[]).map((e) => e.message);
    expect(messages).toEqual([
      '第3行 累计收入：最多两位小数（元）',
      '第4行 身份证号：校验位错误',
      '第5行 身份证号：未找到该人员，或不在您的管辖范围内',
      '第6行 累计月数：不能超过截至月份的月数（3）',
      '第7行 截至月份：“2026-13”不是有效月份，应如 2026-06',
      '第7行 累计收入：不能为空',
      '第7行 累计已预扣税额：应为不小于0的金额（元），如 1234.5 或 1,234.56',
    ]);
    expect(res.json().error.message).toContain('未写入任何数据');
    expect(await env.deps.db.kysely.selectFrom('payroll_tax_openings').selectAll().execute()).toEqual([]);

    // A dry run reports the same rows with a 200.
    const dry = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll/tax-openings/import?dryRun=1',
      headers: { cookie: hr, 'content-type': 'text/csv' },
      payload: body,
    });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().errors).toHaveLength(messages.length);

    const noColumns = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll/tax-openings/import',
      headers: { cookie: hr, 'content-type': 'text/csv' },
      payload: csv(['姓名,身份证号', `吴四,${idA}`]),
    });
    expect(noColumns.statusCode).toBe(400);
    expect(noColumns.json().error.message).toContain('年度');
  });
});
