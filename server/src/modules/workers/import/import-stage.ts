/**
 * The staged form of a create: the worker columns it holds, in order, and how a checked row
 * becomes them. A staged create is the array of their values (personal data as ciphertext and
 * masked copies only), stored in `worker_import_rows` columns of the same names, and exactly what
 * the commit inserts.
 */
import type { NewWorker, StagedCreateColumn } from '../../../db/schema.ts';
import type { DataCipher } from '../../../lib/crypto.ts';
import { maskIdNumber } from '../../../lib/id-card.ts';
import { maskPhone } from '../../../lib/mask.ts';
import { nameInitials } from '../../../lib/pinyin.ts';
import { PHONE_PURPOSE, PLAIN_FIELDS } from '../workers.service.ts';
import type { CheckedRow } from './import-row.ts';

/** The plain columns after the fixed ones: [API key, column], as `buildNewWorker` fills them. */
const PLAIN = PLAIN_FIELDS.filter(([key]) => key !== 'name').map(([key, col]) => [key, col] as const);

/**
 * Worker columns a staged create holds, in order. Each must be a column of `worker_import_rows`
 * (`StagedCreateColumn`, or the row's own `id_number_hash`): a new worker column staged here needs
 * a migration adding it there too.
 */
export const STAGED_COLUMNS = [
  'name',
  'name_initials',
  'id_number_enc',
  'id_number_hash',
  'id_number_masked',
  'gender',
  'birth_date',
  'org_code',
  'post',
  'posts',
  'status',
  'status_date',
  'phone_enc',
  'phone_hash',
  'phone_masked',
  'emergency_contact_phone_enc',
  'emergency_contact_phone_masked',
  ...PLAIN.map(([, col]) => col),
] as const satisfies readonly (StagedCreateColumn | 'id_number_hash')[] & readonly (keyof NewWorker)[];

/** A staged create: its values in STAGED_COLUMNS order. */
export type StagedCreate = (string | null)[];

/**
 * The staged create of a checked row: the values `buildNewWorker` gives the same input, in
 * STAGED_COLUMNS order, written straight into the array (a dry run builds 100,000 of them; a test
 * holds the two functions together). `today` is `YYYY-MM-DD`; `phoneHash` is the phone's blind
 * index when the caller has it already (the reading thread computes it).
 */
export function stageNewWorker(
  cipher: DataCipher,
  row: CheckedRow,
  idNumberHash: string,
  today: string,
  phoneHash: string | null = row.phone ? cipher.blindIndex(PHONE_PURPOSE, row.phone) : null,
): StagedCreate {
  const v = row.values;
  const name = v.name!;
  const { phone, emergencyPhone } = row;
  const values: (string | null)[] = [
    name,
    nameInitials(name),
    cipher.encrypt(row.id.value),
    idNumberHash,
    maskIdNumber(row.id.value),
    row.id.gender,
    row.id.birthDate,
    row.orgCode,
    row.post,
    JSON.stringify(row.posts),
    v.status ?? 'active',
    v.joinCommunityDate ?? v.workStartDate ?? today,
    phone ? cipher.encrypt(phone) : null,
    phone ? phoneHash : null,
    phone ? maskPhone(phone) : null,
    emergencyPhone ? cipher.encrypt(emergencyPhone) : null,
    emergencyPhone ? maskPhone(emergencyPhone) : null,
  ];
  for (const [key] of PLAIN) {
    const value = v[key];
    values.push(value === undefined || value === '' ? null : value);
  }
  return values;
}

/** A staged create's columns by name (for the preview and tests). */
export function unstageCreate(values: StagedCreate): NewWorker {
  return Object.fromEntries(STAGED_COLUMNS.map((c, i) => [c, values[i] ?? null])) as unknown as NewWorker;
}
