import { buffer } from 'node:stream/consumers';
import type ExcelJS from 'exceljs';
import { excel } from '../../lib/excel/exceljs.ts';
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
import { systemContext } from '../../context.ts';
import { EXPORT_HEADER_ROW, startWorkerExport } from './workers.export.ts';
import { findWorkers } from './workers.service.ts';

const HEADERS = [
  '序号',
  '姓名',
  '性别',
  '民族',
  '出生日期',
  '年龄',
  '身份证号',
  '政治面貌',
  '学历',
  '所在社区',
  '所在街道',
  '岗位',
  '岗位类别',
  '状态',
  '参加社区工作时间',
  '职业资格',
  '手机号',
];

async function loadSheet(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new excel.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

/** Data rows below the header, as plain values keyed by header. */
function dataRows(ws: ExcelJS.Worksheet): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let r = EXPORT_HEADER_ROW + 1; r <= ws.rowCount; r++) {
    const values = (ws.getRow(r).values as unknown[]).slice(1);
    out.push(Object.fromEntries(HEADERS.map((h, i) => [h, values[i] ?? null])));
  }
  return out;
}

describeEachDatabase('workers export', (kind) => {
  let env: TestEnv;
  let hr: string;
  let lead: string;
  let region: string;
  let workerCookie: string;
  const secretaryId = testIdNumber('M', '1980-03-04');

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    const me = await createTestWorker(env.deps, '330106001001', {
      name: '张书记',
      idNumber: secretaryId,
      posts: ['party_secretary', 'committee_director'],
      post: 'party_secretary',
      phone: '13800138000',
      ethnicity: '01',
      politicalStatus: '01',
      education: '20',
      qualificationLevel: 'assistant',
      workStartDate: '2010-07-01',
    });
    await createTestWorker(env.deps, '330106001001', { name: '李网格', post: 'grid_worker' });
    await createTestWorker(env.deps, '330106001002', { name: '王专职', status: 'probation' });
    await createTestWorker(env.deps, '330106001', { name: '赵街道' });
    await createTestWorker(env.deps, '330106002001', { name: '钱西溪' });
    await createTestWorker(env.deps, '330108001001', { name: '滨江人员' });
    hr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
    lead = await loginCookie(env.app, (await createTestUser(env.deps, 'community_lead', '330106001001')).username);
    region = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    workerCookie = await loginCookie(env.app, (await createTestUser(env.deps, 'worker', '330106001001', { workerId: me.id })).username);
  });
  afterAll(async () => env?.close());

  const download = (cookie: string, query = '') =>
    env.app.inject({ method: 'GET', url: `/api/v1/workers/export${query}`, headers: { cookie } });
  const list = async (cookie: string, query = '') =>
    (await env.app.inject({ method: 'GET', url: `/api/v1/workers?pageSize=200${query}`, headers: { cookie } })).json() as {
      items: { name: string; idNumberMasked: string }[];
      total: number;
    };

  it('streams the roster in scope as .xlsx: title, header, labels, masked IDs, same rows and order as the list', async () => {
    const res = await download(hr);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`社区工作者花名册-北山街道-${day}.xlsx`)}`);
    const ws = await loadSheet(res.rawPayload);
    expect(ws.getCell('A1').value).toBe('北山街道社区工作者花名册');
    expect(String(ws.getCell('A2').value)).toMatch(/^生成时间：.*共 4 人.*已脱敏/);
    expect((ws.getRow(EXPORT_HEADER_ROW).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: EXPORT_HEADER_ROW });
    expect(ws.autoFilter).toBe('A3:Q3');
    expect(ws.getColumn(7).width).toBeGreaterThan(18);

    const rows = dataRows(ws);
    const expected = await list(hr);
    expect(rows.map((r) => r['姓名'])).toEqual(expected.items.map((i) => i.name));
    expect(rows.length).toBe(expected.total);
    expect(rows.map((r) => r['序号'])).toEqual([1, 2, 3, 4]);
    expect(rows.map((r) => r['身份证号'])).toEqual(expected.items.map((i) => i.idNumberMasked));
    const secretary = rows.find((r) => r['姓名'] === '张书记')!;
    expect(secretary).toMatchObject({
      性别: '男',
      民族: '汉族',
      出生日期: '1980-03-04',
      政治面貌: '中共党员',
      学历: '大学本科',
      所在社区: '保俶塔社区',
      所在街道: '北山街道',
      岗位: '社区党组织书记、居委会主任（一肩挑）',
      岗位类别: '正职',
      状态: '在岗',
      参加社区工作时间: '2010-07-01',
      职业资格: '助理社会工作师',
      手机号: '138****8000',
    });
    expect(JSON.stringify(rows)).not.toContain(secretaryId);
    expect(rows.find((r) => r['姓名'] === '赵街道')).toMatchObject({ 所在社区: null, 所在街道: '北山街道' });
    expect(rows.find((r) => r['姓名'] === '王专职')).toMatchObject({ 状态: '试用期' });
  });

  it('applies the list filters', async () => {
    const res = await download(region, '?orgCode=330106001001&post=grid_worker');
    const rows = dataRows(await loadSheet(res.rawPayload));
    expect(rows.map((r) => r['姓名'])).toEqual(['李网格']);
    const all = dataRows(await loadSheet((await download(region)).rawPayload));
    expect(all.map((r) => r['姓名'])).toEqual((await list(region)).items.map((i) => i.name));
  });

  it('reveals full ID numbers and phones to street HR on request, and audits the export with its row count', async () => {
    const res = await download(hr, '?orgCode=330106001001&reveal=1');
    expect(res.statusCode).toBe(200);
    const ws = await loadSheet(res.rawPayload);
    expect(String(ws.getCell('A2').value)).toContain('含完整身份证号');
    const secretary = dataRows(ws).find((r) => r['姓名'] === '张书记')!;
    expect(secretary['身份证号']).toBe(secretaryId);
    expect(secretary['手机号']).toBe('13800138000');
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .select(['after_json', 'org_code', 'actor_role'])
      .where('action', '=', 'worker.export')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.org_code).toBe('330106001001');
    expect(audit.actor_role).toBe('street_hr');
    expect(JSON.parse(audit.after_json!)).toEqual({ filters: { orgCode: '330106001001' }, rowCount: 2, revealed: true });
  });

  it('masks an ID number searched for in the audited filters', async () => {
    const res = await download(hr, `?q=${secretaryId}`);
    expect(dataRows(await loadSheet(res.rawPayload)).map((r) => r['姓名'])).toEqual(['张书记']);
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'worker.export')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.after_json).not.toContain(secretaryId);
    expect(JSON.parse(audit.after_json!)).toMatchObject({ rowCount: 1, revealed: false });
  });

  it('refuses reveal=1 to a role without workers:reveal', async () => {
    const res = await download(lead, '?reveal=1');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect((await download(lead)).statusCode).toBe(200);
  });

  it('stays in scope: an outside org gives headers and no rows; a worker gets only themselves', async () => {
    const out = await download(hr, '?orgCode=330108');
    expect(out.statusCode).toBe(200);
    const ws = await loadSheet(out.rawPayload);
    expect((ws.getRow(EXPORT_HEADER_ROW).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(dataRows(ws)).toEqual([]);
    const own = dataRows(await loadSheet((await download(workerCookie, '?reveal=1')).rawPayload));
    expect(own.map((r) => r['姓名'])).toEqual(['张书记']);
    expect(own[0]!['身份证号']).toBe(secretaryId);
  });

  it('rejects bad filters with a 400 JSON error, as the list does', async () => {
    for (const q of ['?status=bogus', '?reveal=2', '?orgCode=abc']) {
      const res = await download(hr, q);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBeTruthy();
    }
  });

  it('pages through the list query without losing or repeating rows', async () => {
    const ctx = systemContext(env.deps, 'test');
    const file = await startWorkerExport(ctx, { reveal: '0' }, { pageSize: 2 });
    const [bytes, count] = await Promise.all([buffer(file.stream), file.done]);
    const rows = dataRows(await loadSheet(bytes));
    const expected = await findWorkers(ctx, { page: 1, pageSize: 200 });
    expect(count).toBe(expected.total);
    expect(rows.map((r) => r['姓名'])).toEqual(expected.items.map((i) => i.name));
    expect(file.fileName).toMatch(/^社区工作者花名册-全国-\d{8}\.xlsx$/);
  });
});
