import fs from 'node:fs';
import { excel } from '../../../lib/excel/exceljs.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gradeWorker } from '../../payroll/payroll.test-support.ts';
import { describeEachDatabase } from '../../../../test/databases.ts';
import {
  createTestEnv,
  createTestUser,
  createTestWorker,
  loginCookie,
  seedOrgs,
  SMALL_TREE,
  testIdNumber,
  type TestEnv,
} from '../../../../test/factories.ts';
import { systemContext } from '../../../context.ts';
import { gbkBytes, createTempDir } from '../../../lib/excel/test-fixtures.ts';
import { waitForJobs } from '../../../lib/jobs.ts';
import { updateWorker } from '../workers.service.ts';
import { recoverImportJobs } from './import.service.ts';

type Cell = string | number | Date | null;

async function workbook(
  rows: Cell[][],
  opts: { title?: string; sheetName?: string; extraSheets?: { name: string; rows: Cell[][] }[] } = {},
) {
  const wb = new excel.Workbook();
  for (const extra of opts.extraSheets ?? []) {
    const s = wb.addWorksheet(extra.name);
    extra.rows.forEach((r) => s.addRow(r));
  }
  const ws = wb.addWorksheet(opts.sheetName ?? '花名册');
  if (opts.title) {
    ws.addRow([opts.title]);
    ws.mergeCells(1, 1, 1, 6);
  }
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Corrupts the check digit of a valid ID number. */
function badCheckDigit(id: string): string {
  const last = id.at(-1) === '0' ? '1' : '0';
  return id.slice(0, 17) + last;
}

describeEachDatabase('worker import', (kind) => {
  let env: TestEnv;
  let hr: string;
  let otherHr: string;
  let workerCookie: string;
  let existingOther: string;
  let existingMine: { id: number; idNumber: string };

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    existingOther = testIdNumber('M', '1985-01-02');
    await createTestWorker(env.deps, '330106002001', { name: '外街道', idNumber: existingOther });
    const mineId = testIdNumber('F', '1991-04-05');
    const mine = await createTestWorker(env.deps, '330106001001', { name: '老员工', idNumber: mineId, education: '30' });
    existingMine = { id: mine.id, idNumber: mineId };
    const u = await createTestUser(env.deps, 'street_hr', '330106001');
    hr = await loginCookie(env.app, u.username);
    const o = await createTestUser(env.deps, 'street_hr', '330106002');
    otherHr = await loginCookie(env.app, o.username);
    const w = await createTestUser(env.deps, 'worker', '330106001001', { workerId: mine.id });
    workerCookie = await loginCookie(env.app, w.username);
  });
  afterAll(async () => {
    await waitForJobs();
    await env.close();
  });

  async function upload(cookie: string, bytes: Buffer, query: Record<string, string> = {}) {
    const qs = new URLSearchParams({ orgCode: '330106001', fileName: '花名册.xlsx', ...query });
    const res = await env.app.inject({
      method: 'POST',
      url: `/api/v1/workers/imports?${qs}`,
      headers: { cookie, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
    await waitForJobs();
    return res;
  }
  const get = async (cookie: string, url: string) => env.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });
  const post = async (cookie: string, url: string, payload: object = {}) => {
    const res = await env.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie }, payload });
    await waitForJobs();
    return res;
  };

  it('serves a template with Chinese headers, drop-downs and an instructions sheet', async () => {
    const res = await get(hr, '/workers/import/template');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new excel.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toContain('填写说明');
    const headers = (wb.getWorksheet('社区工作者')!.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['*姓名', '*身份证号', '*岗位', '所属社区', '民族', '学历']));
  });

  it('checks a real-looking file (title row, synonyms, any order, full-width digits, mixed dates) and commits it', async () => {
    const a = testIdNumber('F', '1992-03-01');
    const b = testIdNumber('M', '1988-12-31');
    const c = testIdNumber('F', '1995-07-15');
    const fullWidth = c.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const file = await workbook(
      [
        ['公民身份号码', '姓 名', '职务', '社区', '参加工作时间', '最高学历', '民族', '手机'],
        [a, '陈一', '专职社区工作者', '保俶塔社区', '2019/3/1', '本科', '汉族', '13800001111'],
        [b, '周二', '书记、主任', '西湖社区', '2015年7月1日', '大学专科', '回', ''],
        [fullWidth, '吴三 ', '网格员', '330106001001', 43525, '硕士', '01', '138 0000 2222'],
      ],
      { title: '北山街道社区工作者花名册（2026年）' },
    );
    const res = await upload(hr, file);
    expect(res.statusCode).toBe(202);
    const job = (await get(hr, `/workers/imports/${res.json().id}`)).json();
    expect(job.status).toBe('validated');
    expect(job.counts).toMatchObject({ totalRows: 3, errors: 0, create: 3 });
    expect(job.canCommit).toBe(true);
    expect(job.columns.map((c: { key: string }) => c.key)).toEqual(
      expect.arrayContaining(['idNumber', 'name', 'posts', 'community', 'workStartDate', 'education', 'ethnicity', 'phone']),
    );

    const preview = (await get(hr, `/workers/imports/${job.id}/rows?action=create`)).json();
    expect(preview.total).toBe(3);
    expect(JSON.stringify(preview)).not.toContain(a); // masked only
    expect(preview.items[1]).toMatchObject({
      rowNumber: 4,
      action: 'create',
      workerId: null,
      name: '周二',
      idNumberMasked: `${b.slice(0, 3)}***********${b.slice(-4)}`,
      view: {
        gender: 'M',
        birthDate: '1988-12-31',
        posts: 'party_secretary、committee_director',
        workStartDate: '2015-07-01',
        phone: null,
      },
    });
    expect(preview.items[0].view.phone).toBe('138****1111');

    const committed = await post(hr, `/workers/imports/${job.id}/commit`);
    expect(committed.statusCode).toBe(202);
    const done = (await get(hr, `/workers/imports/${job.id}`)).json();
    expect(done.status).toBe('committed');

    const list = (await get(hr, '/workers?orgCode=330106001&q=' + encodeURIComponent('周二'))).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ orgCode: '330106001002', posts: ['party_secretary', 'committee_director'], isConcurrent: true });
    const wu = await get(hr, `/workers?q=${c}`);
    const wu3 = wu.json().items[0];
    expect(wu3).toMatchObject({ name: '吴三', education: '10', orgCode: '330106001001' });
    const detail = (await get(hr, `/workers/${wu3.id}`)).json();
    expect(detail.workStartDate).toBe('2019-03-01');
    expect(detail.phoneMasked).toBe('138****2222');
    const history = (await get(hr, `/workers/${wu3.id}/history`)).json();
    expect(
      history.items.some((h: { action: string; newValue: string }) => h.action === 'create' && h.newValue.includes(`批次 #${job.id}`)),
    ).toBe(true);
    const raw = await env.deps.db.kysely.selectFrom('workers').selectAll().where('id', '=', wu3.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(raw)).not.toContain(c);
    const placement = (await get(hr, `/workers/${wu3.id}/assignments`)).json();
    expect(placement.items[0]).toMatchObject({ orgCode: '330106001001', fromDate: '2019-03-01' });

    const audit = await env.deps.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'worker.import').execute();
    expect(audit.some((e) => e.entity_id === String(job.id) && JSON.parse(e.after_json ?? '{}').created === 3)).toBe(true);
    expect(
      fs.existsSync(`${env.deps.config.dataDir}/imports`)
        ? fs.readdirSync(`${env.deps.config.dataDir}/imports`).filter((f) => f.endsWith('.upload'))
        : [],
    ).toHaveLength(0);

    // The same file again: everyone is already on the roll, nobody is duplicated.
    const again = await upload(hr, file);
    const job2 = (await get(hr, `/workers/imports/${again.json().id}`)).json();
    expect(job2.counts).toMatchObject({ create: 0, skip: 3, errors: 0 });
    expect(job2.canCommit).toBe(false);
    const refused = await post(hr, `/workers/imports/${job2.id}/commit`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('没有需要新增或更新的人员');
  });

  it('reports every bad row with its number, column and a Chinese message, marks a copy, and commits after the fix', async () => {
    const good = testIdNumber('F', '1990-01-01');
    const bad = badCheckDigit(testIdNumber('M', '1990-02-02'));
    const dup = testIdNumber('F', '1993-03-03');
    const rows: Cell[][] = [
      ['姓名', '身份证号', '岗位', '所属社区', '参加社区工作时间', '性别'],
      ['好人', good, '网格员', '保俶塔社区', '2020-01-01', '女'],
      ['校验错', bad, '网格员', '保俶塔社区', '2020-01-01', null],
      ['重复甲', dup, '网格员', '保俶塔社区', '2020-13-01', null],
      ['重复乙', dup, '队长', '不存在社区', '2020-01-01', null],
      ['外单位', existingOther, '网格员', '西湖社区', null, null],
      ['性别错', testIdNumber('F', '1994-04-04'), '网格员', '西湖社区', null, '男'],
    ];
    const res = await upload(hr, await workbook(rows));
    const id = res.json().id;
    const job = (await get(hr, `/workers/imports/${id}`)).json();
    expect(job.status).toBe('validated');
    expect(job.counts).toMatchObject({ totalRows: 6, errorRows: 5, create: 1 });
    expect(job.canCommit).toBe(false);
    const issues = (await get(hr, `/workers/imports/${id}/issues?severity=error&pageSize=100`)).json();
    const texts = issues.items.map((i: { text: string }) => i.text);
    expect(texts).toContain('第3行 身份证号：校验位错误');
    expect(texts).toContain('第4行 参加社区工作时间：日期格式无法识别：“2020-13-01”');
    expect(texts).toContain('第5行 身份证号：与第4行重复');
    expect(texts.some((t: string) => t.startsWith('第5行 岗位：“队长”不是可选的岗位'))).toBe(true);
    expect(texts.some((t: string) => t.startsWith('第5行 所属社区：在“北山街道”下找不到“不存在社区”'))).toBe(true);
    expect(texts.some((t: string) => t.startsWith('第6行 身份证号：该人员已在其他单位在册'))).toBe(true);
    expect(texts).toContain('第7行 性别：与身份证号不符');

    const refused = await post(hr, `/workers/imports/${id}/commit`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('5 行');
    const count = async () =>
      Number(
        (
          await env.deps.db.kysely
            .selectFrom('workers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();

    const marked = await get(hr, `/workers/imports/${id}/marked`);
    expect(marked.statusCode).toBe(200);
    const wb = new excel.Workbook();
    await wb.xlsx.load(marked.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(7).value).toBe('错误说明');
    expect(String(ws.getRow(3).getCell(7).value)).toContain('身份证号：校验位错误');
    expect(ws.getRow(3).getCell(2).note).toBeTruthy();
    expect(ws.getRow(2).getCell(7).value ?? null).toBeNull();

    // The clerk fixes the file: drops bad rows, corrects the rest.
    const fixed = await workbook([
      rows[0]!,
      rows[1]!,
      ['重复甲', dup, '网格员', '保俶塔社区', '2020-12-01', null],
      ['性别错', rows[6]![1]!, '网格员', '西湖社区', null, '女'],
    ]);
    const res2 = await upload(hr, fixed);
    const job2 = (await get(hr, `/workers/imports/${res2.json().id}`)).json();
    expect(job2.counts).toMatchObject({ errors: 0, create: 3 });
    await post(hr, `/workers/imports/${job2.id}/commit`);
    expect((await get(hr, `/workers/imports/${job2.id}`)).json().status).toBe('committed');
    expect(await count()).toBe(before + 3);
  });

  it('updates existing workers when asked, with per-field history, and leaves blank cells alone', async () => {
    const file = await workbook([
      ['姓名', '身份证号', '岗位', '学历', '手机号', '毕业院校'],
      ['老员工', existingMine.idNumber, '专职社区工作者', '本科', '13911112222', null],
    ]);
    const skipped = await upload(hr, file);
    expect((await get(hr, `/workers/imports/${skipped.json().id}`)).json().counts).toMatchObject({ skip: 1, update: 0 });
    const warnings = (await get(hr, `/workers/imports/${skipped.json().id}/issues?severity=warning`)).json();
    expect(warnings.items[0].text).toContain('已在册，本行跳过');

    const res = await post(hr, `/workers/imports/${skipped.json().id}/validate`, { updateExisting: true });
    expect(res.statusCode).toBe(202);
    const job = (await get(hr, `/workers/imports/${skipped.json().id}`)).json();
    expect(job.counts).toMatchObject({ update: 1, skip: 0, errors: 0 });
    const preview = (await get(hr, `/workers/imports/${job.id}/rows?action=update`)).json();
    expect(preview.items[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'education', old: '30', new: '20' },
        { field: 'phone', old: null, new: '139****2222' },
      ]),
    );
    await post(hr, `/workers/imports/${job.id}/commit`);
    const w = (await get(hr, `/workers/${existingMine.id}`)).json();
    expect(w).toMatchObject({ education: '20', phoneMasked: '139****2222', post: 'full_time_staff' });
    const history = (await get(hr, `/workers/${existingMine.id}/history`)).json();
    expect(history.items.find((h: { field: string }) => h.field === 'education')).toMatchObject({ oldValue: '30', newValue: '20' });
  });

  it('re-bands the current grade when an update moves a worker to a post in another band', async () => {
    const idNumber = testIdNumber('M', '1975-06-07');
    const secretary = await createTestWorker(env.deps, '330106001001', { name: '老书记', idNumber, post: 'party_secretary' });
    await gradeWorker(env.deps, secretary.id, 'principal', 18);
    const file = await workbook([
      ['姓名', '身份证号', '岗位'],
      ['老书记', idNumber, '专职社区工作者'],
    ]);
    const job = (await upload(hr, file, { updateExisting: '1' })).json();
    expect((await get(hr, `/workers/imports/${job.id}`)).json().counts).toMatchObject({ update: 1, errors: 0 });
    await post(hr, `/workers/imports/${job.id}/commit`);
    // 正职 18 → 其他 (levels 1–12): the nearest end of the new band, with the reason in the history.
    const grades = (await get(hr, `/workers/${secretary.id}/grades`)).json();
    expect(grades.current).toMatchObject({ band: 'staff', level: 12 });
    expect(JSON.stringify(grades.current)).toContain('岗位调整为专职社区工作者');
  });

  it('refuses a commit, writing nothing, when a worker changed after the dry run', async () => {
    const file = await workbook([
      ['姓名', '身份证号', '岗位', '毕业院校'],
      ['老员工', existingMine.idNumber, '专职社区工作者', '浙江大学'],
      ['新来的', testIdNumber('M', '1999-09-09'), '网格员', null],
    ]);
    const res = await upload(hr, file, { orgCode: '330106001001', updateExisting: '1' });
    const id = res.json().id;
    expect((await get(hr, `/workers/imports/${id}`)).json().counts).toMatchObject({ update: 1, create: 1 });
    await updateWorker(systemContext(env.deps), existingMine.id, { major: '社会工作' });
    await post(hr, `/workers/imports/${id}/commit`);
    const job = (await get(hr, `/workers/imports/${id}`)).json();
    expect(job.status).toBe('failed');
    expect(job.error.message).toContain('第2行对应人员的档案在校验后被修改过');
    expect((await get(hr, '/workers?q=' + encodeURIComponent('新来的'))).json().total).toBe(0);
    // Checking again picks up the current record; then it commits.
    await post(hr, `/workers/imports/${id}/validate`, {});
    await post(hr, `/workers/imports/${id}/commit`);
    expect((await get(hr, `/workers/imports/${id}`)).json().status).toBe('committed');
    expect((await get(hr, '/workers?q=' + encodeURIComponent('新来的'))).json().total).toBe(1);
  });

  it('accepts a GBK CSV and chooses a sheet', async () => {
    const id = testIdNumber('F', '1996-06-06');
    // 姓名,身份证号,岗位 / 刘六,<id>,网格员 in GBK, as Chinese Windows Excel saves "CSV".
    const hex = (h: string) => Buffer.from(h, 'hex');
    const csv = Buffer.concat([
      gbkBytes({ gbk: '姓名' }, ',', { gbk: '身份证号' }, ','),
      hex('B8DACEBB'),
      Buffer.from(`\r\n`),
      hex('C1F5C1F9'),
      Buffer.from(`,${id},`),
      hex('CDF8B8F1D4B1'),
      Buffer.from('\r\n'),
    ]);
    const res = await upload(hr, csv, { fileName: 'roster.csv', orgCode: '330106001002' });
    expect(res.statusCode).toBe(202);
    const job = (await get(hr, `/workers/imports/${res.json().id}`)).json();
    expect(job.fileKind).toBe('csv');
    expect(job.counts).toMatchObject({ create: 1, errors: 0 });

    const two = await workbook(
      [
        ['姓名', '身份证号', '岗位'],
        ['孙七', testIdNumber('M', '1990-07-07'), '网格员'],
      ],
      {
        extraSheets: [{ name: '说明', rows: [['这是说明页']] }],
      },
    );
    const first = await upload(hr, two, { orgCode: '330106001002' });
    const j1 = (await get(hr, `/workers/imports/${first.json().id}`)).json();
    expect(j1.status).toBe('invalid');
    expect(j1.error.message).toContain('未找到表头');
    expect(j1.sheets.map((s: { name: string }) => s.name)).toEqual(['说明', '花名册']);
    await post(hr, `/workers/imports/${j1.id}/validate`, { sheet: '花名册' });
    const j2 = (await get(hr, `/workers/imports/${j1.id}`)).json();
    expect(j2).toMatchObject({ status: 'validated', sheetName: '花名册' });
    expect(j2.counts.create).toBe(1);
  });

  it('refuses bad files with a clear message and creates no job', async () => {
    const { dir, cleanup } = await createTempDir();
    try {
      const xls = Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        Buffer.from('W\0o\0r\0k\0b\0o\0o\0k\0'),
        Buffer.alloc(600),
      ]);
      const cases: [Buffer, string][] = [
        [xls, '.xls'],
        [Buffer.alloc(0), '文件为空'],
        [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0, 0]), '无法识别的文件格式'],
        [
          await workbook([
            ['随便', '什么'],
            ['a', 'b'],
          ]),
          '未找到表头',
        ],
        [
          await workbook([
            ['姓名', '岗位'],
            ['张三', '网格员'],
          ]),
          '缺少必填列：身份证号',
        ],
      ];
      for (const [bytes, message] of cases) {
        const res = await upload(hr, bytes);
        if (res.statusCode === 202) {
          const job = (await get(hr, `/workers/imports/${res.json().id}`)).json();
          expect(job.status, message).toBe('invalid');
          expect(job.error.message).toContain(message);
        } else {
          expect(res.statusCode, message).toBe(400);
          expect(res.json().error.message).toContain(message);
        }
      }
      expect(dir).toBeTruthy();
    } finally {
      await cleanup();
    }
  });

  it('keeps imports within scope: other streets see 404, workers cannot import, orgs outside scope are refused', async () => {
    const file = await workbook([
      ['姓名', '身份证号', '岗位'],
      ['范围', testIdNumber('M', '1980-08-08'), '网格员'],
    ]);
    const res = await upload(hr, file);
    const id = res.json().id;
    for (const url of [
      `/workers/imports/${id}`,
      `/workers/imports/${id}/issues`,
      `/workers/imports/${id}/rows`,
      `/workers/imports/${id}/marked`,
    ]) {
      expect((await get(otherHr, url)).statusCode, url).toBe(404);
    }
    expect((await post(otherHr, `/workers/imports/${id}/commit`)).statusCode).toBe(404);
    expect((await get(otherHr, '/workers/imports')).json().items.some((j: { id: number }) => j.id === id)).toBe(false);
    expect((await upload(workerCookie, file)).statusCode).toBe(403);
    const outside = await upload(hr, file, { orgCode: '330106002' });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.message).toContain('导入单位');
    const noFile = await env.app.inject({
      method: 'POST',
      url: '/api/v1/workers/imports?orgCode=330106001&fileName=a.xlsx',
      headers: { cookie: hr, 'content-type': 'application/json' },
      payload: {},
    });
    expect(noFile.statusCode).toBe(415);
    await post(hr, `/workers/imports/${id}/cancel`);
    expect((await get(hr, `/workers/imports/${id}`)).json().status).toBe('cancelled');
  });

  it('marks jobs a stopped process left running as failed at start-up', async () => {
    const file = await workbook([
      ['姓名', '身份证号', '岗位'],
      ['中断', testIdNumber('F', '1982-02-02'), '网格员'],
    ]);
    const id = (await upload(hr, file)).json().id;
    await env.deps.db.kysely.updateTable('import_jobs').set({ status: 'committing' }).where('id', '=', id).execute();
    await recoverImportJobs(systemContext(env.deps));
    const job = (await get(hr, `/workers/imports/${id}`)).json();
    expect(job.status).toBe('failed');
    expect(job.error.message).toContain('未写入任何数据');
  });
});
