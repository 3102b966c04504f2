import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataCipher } from '../../../lib/crypto.ts';
import { isImportFileError } from '../../../lib/excel/errors.ts';
import type { HeaderDetection } from '../../../lib/excel/header-map.ts';
import { createTempDir, writeWorkbook } from '../../../lib/excel/test-fixtures.ts';
import { buildIdNumber } from '../../../lib/id-card.ts';
import { ID_NUMBER_PURPOSE } from '../workers.service.ts';
import { readCheckedRows, type ReadRequest, type ReadResultRow } from './import-read.ts';
import type { PlacementOrg } from './import-row.ts';
import { unstageCreate } from './import-stage.ts';

const cipher = createDataCipher(randomBytes(32));

const STREET: PlacementOrg = { code: '330106001', name: '北山街道', level: 4, parent_code: '330106' };
const ORGS: PlacementOrg[] = [STREET, { code: '330106001001', name: '保俶塔社区', level: 5, parent_code: '330106001' }];

async function readAll(request: ReadRequest, thread: boolean) {
  let header: HeaderDetection | null = null;
  const chunks: ReadResultRow[][] = [];
  const it = readCheckedRows(request, cipher, (h) => (header = h), { thread });
  for (;;) {
    const next = await it.next();
    if (next.done) return { header, chunks, sheetName: next.value.sheetName };
    chunks.push(next.value);
  }
}

describe('reading and checking import rows, in this thread or on a reading thread', () => {
  let tmp: Awaited<ReturnType<typeof createTempDir>>;
  let request: ReadRequest;

  beforeAll(async () => {
    tmp = await createTempDir();
    const rows: (string | null)[][] = [['姓名', '身份证号', '岗位', '所属社区']];
    for (let i = 0; i < 7; i++) rows.push([`人员${i}`, buildIdNumber('330106', '1990-05-17', i, 'F'), '网格员', '保俶塔']);
    rows.push(['坏行', '330106199005170000', '网格员', '不存在社区']);
    rows.push([]);
    await writeWorkbook(tmp.file('roster.xlsx'), [{ name: '花名册', rows }]);
    await writeWorkbook(tmp.file('no-header.xlsx'), [
      {
        name: 'Sheet1',
        rows: [
          ['a', 'b'],
          ['c', 'd'],
        ],
      },
    ]);
    request = {
      path: tmp.file('roster.xlsx'),
      fileName: 'roster.xlsx',
      sheet: undefined,
      maxRows: 100,
      chunkRows: 3,
      today: '2026-11-29',
      target: STREET,
      orgs: ORGS,
      blindIndexKey: cipher.blindIndexKey(),
    };
  });
  afterAll(async () => {
    await tmp.cleanup();
  });

  it('gives the same header, chunks, checks, hashes and staged creates either way', async () => {
    const inline = await readAll(request, false);
    const threaded = await readAll(request, true);
    // Ciphertexts differ on every encryption: compare the staged creates decrypted.
    const plain = (r: Awaited<ReturnType<typeof readAll>>) => ({
      ...r,
      chunks: r.chunks.map((c) =>
        c.map((row) => {
          const w = row.create === null ? null : unstageCreate(row.create);
          return { ...row, create: w && { ...w, id_number_enc: cipher.decrypt(w.id_number_enc) } };
        }),
      ),
    });
    expect(plain(threaded)).toEqual(plain(inline));
    expect(inline.sheetName).toBe('花名册');
    expect(inline.header).toMatchObject({ rowNumber: 1 });
    expect(inline.chunks.map((c) => c.length)).toEqual([3, 3, 2]);
    const last = inline.chunks[2]![1]!;
    expect(last.rowNumber).toBe(9);
    expect(last.check.ok).toBe(false);
    expect(inline.chunks[0]![0]!.check).toMatchObject({ ok: true, row: { orgCode: '330106001001', values: { name: '人员0' } } });
    const id = buildIdNumber('330106', '1990-05-17', 0, 'F');
    expect(threaded.chunks[0]![0]!.idNumberHash).toBe(cipher.blindIndex(ID_NUMBER_PURPOSE, id));
    expect(plain(threaded).chunks[0]![0]!.create).toMatchObject({ name: '人员0', id_number_enc: id, org_code: '330106001001' });
    expect(last.create).toBeNull();
  });

  it('turns a file-level failure on the reading thread into the same ImportFileError', async () => {
    const bad = { ...request, path: tmp.file('no-header.xlsx'), fileName: 'no-header.xlsx' };
    const inline = await readAll(bad, false).catch((e: unknown) => e);
    const threaded = await readAll(bad, true).catch((e: unknown) => e);
    expect(isImportFileError(inline, 'no_header')).toBe(true);
    expect(isImportFileError(threaded, 'no_header')).toBe(true);
    const pick = (e: unknown) => {
      const err = e as { message: string; messageEn: string; details: unknown; code: string };
      return { message: err.message, messageEn: err.messageEn, details: err.details, code: err.code };
    };
    expect(pick(threaded)).toEqual(pick(inline));
  });

  it('stops the reading thread when the reader stops early', async () => {
    const it = readCheckedRows(request, cipher, () => undefined, { thread: true });
    const first = await it.next();
    expect(first.done).toBe(false);
    const done = await it.return({ sheetName: '' });
    expect(done.done).toBe(true);
  });
});
