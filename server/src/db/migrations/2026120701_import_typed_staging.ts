import { sql } from 'kysely';
import type { ShegongMigration } from './helpers.ts';

/**
 * A staged create (a validated new worker of an import's dry run) keeps its worker columns in
 * columns of the same names, not as a JSON array in `payload`: the commit then copies them with a
 * plain INSERT … SELECT. Reading 35 values out of 100,000 JSON arrays cost the commit about 0.6 s.
 * Updates, skips and unchanged rows keep their JSON payload; a create's payload is ''.
 *
 * Jobs validated before this change hold JSON creates: they are set back to "check again" (their
 * upload is kept, so 重新校验 works at once) rather than converted.
 */
export const STAGED_CREATE_COLUMNS_2026120701 = [
  'name',
  'name_initials',
  'id_number_enc',
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
  'education',
  'political_status',
  'work_start_date',
  'former_name',
  'ethnicity',
  'party_join_date',
  'education_mode',
  'school',
  'major',
  'address',
  'hukou',
  'emergency_contact_name',
  'join_community_date',
  'qualification_level',
  'certificate_no',
  'certificate_date',
  'probation_end_date',
] as const;

export const migration: ShegongMigration = {
  async up(db) {
    for (const column of STAGED_CREATE_COLUMNS_2026120701) {
      await db.schema.alterTable('worker_import_rows').addColumn(column, 'text').execute();
    }
    const error = JSON.stringify({
      code: 'REVALIDATE',
      message: '系统升级后需要重新校验本次导入，请点击“重新校验”（文件已保留，无需重新上传）',
    });
    const stale = sql`select distinct job_id from worker_import_rows where action = 'create'`;
    await sql`update import_jobs set status = 'failed', phase = null, error = ${error}
      where status = 'validated' and id in (${stale})`.execute(db);
    await sql`delete from worker_import_rows where job_id in (select id from import_jobs where status = 'failed')`.execute(db);
  },
};
