import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NewWorker } from '../../../db/schema.ts';
import { createDataCipher } from '../../../lib/crypto.ts';
import { buildIdNumber, parseIdNumber, type ParsedIdNumber } from '../../../lib/id-card.ts';
import { buildNewWorker, ID_NUMBER_PURPOSE } from '../workers.service.ts';
import type { CheckedRow } from './import-row.ts';
import { STAGED_COLUMNS, stageNewWorker, unstageCreate } from './import-stage.ts';

const cipher = createDataCipher(randomBytes(32));
const TODAY = '2026-11-29';

/** A worker row with its ciphertexts decrypted (they differ on every encryption). */
function comparable(row: NewWorker): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of STAGED_COLUMNS) {
    const v = row[c] ?? null;
    out[c] = typeof v === 'string' && c.endsWith('_enc') ? cipher.decrypt(v) : v;
  }
  return out;
}

function viaBuildNewWorker(row: CheckedRow, hash: string): NewWorker {
  return buildNewWorker(
    cipher,
    {
      ...(row.values as Record<string, string>),
      name: row.values.name!,
      orgCode: row.orgCode,
      post: row.post,
      posts: row.posts,
      status: (row.values.status as 'active' | 'probation' | undefined) ?? 'active',
    },
    row.id,
    { phone: row.phone, emergencyPhone: row.emergencyPhone },
    `${TODAY}T08:00:00.000Z`,
    hash,
  ).row;
}

describe('staged creates', () => {
  const id = parseIdNumber(buildIdNumber('330106', '1990-05-17', 22, 'F')) as ParsedIdNumber;
  const hash = cipher.blindIndex(ID_NUMBER_PURPOSE, id.value);

  it.each([
    [
      'every column filled',
      {
        rowNumber: 3,
        id,
        orgCode: '330106001001',
        post: '社区党组织副书记',
        posts: ['社区党组织副书记', '网格员'],
        phone: '13812345678',
        emergencyPhone: '057188886666',
        values: {
          name: '张三',
          formerName: '张叁',
          ethnicity: '01',
          politicalStatus: '01',
          partyJoinDate: '2012-07-01',
          education: '20',
          educationMode: 'full_time',
          school: '浙江工业大学',
          major: '社会工作',
          workStartDate: '2012-08-01',
          joinCommunityDate: '2015-03-01',
          qualificationLevel: 'intermediate',
          certificateNo: 'ZJ123',
          certificateDate: '2016-06-01',
          address: '杭州市西湖区保俶路1号',
          hukou: '浙江省杭州市',
          emergencyContactName: '李四',
          status: 'probation',
          probationEndDate: '2027-01-01',
        },
      },
    ],
    [
      'only the required columns',
      {
        rowNumber: 4,
        id,
        orgCode: '330106001',
        post: '网格员',
        posts: ['网格员'],
        phone: null,
        emergencyPhone: null,
        values: { name: '王五' },
      },
    ],
  ] satisfies [string, CheckedRow][])('holds what buildNewWorker gives (%s)', (_label, row) => {
    const staged = unstageCreate(stageNewWorker(cipher, row, hash, TODAY));
    expect(comparable(staged)).toEqual(comparable(viaBuildNewWorker(row, hash)));
  });
});
