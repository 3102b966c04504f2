import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './database.ts';
import { migration as foundation } from './migrations/2026112901_foundation.ts';
import { migration as orgSearch } from './migrations/2026112902_org_search.ts';
import { migration as workerRegistry } from './migrations/2026112903_worker_registry.ts';
import { migration as contracts } from './migrations/2026112904_contracts.ts';
import { migration as staffingStandards } from './migrations/2026112905_staffing_standards.ts';
import { migration as workerSearch } from './migrations/2026112906_worker_search.ts';
import { migration as importJobs } from './migrations/2026112907_import_jobs.ts';
import { migration as correctionRequests } from './migrations/2026112908_correction_requests.ts';
import { migration as grades } from './migrations/2026112909_grades.ts';
import { migration as payroll } from './migrations/2026112910_payroll.ts';
import { migration as assessment } from './migrations/2026112911_assessment.ts';
import { migration as workerListIndex } from './migrations/2026112912_worker_list_index.ts';
import { migration as workerFilterIndexes } from './migrations/2026112913_worker_filter_indexes.ts';
import { migration as workerFilterStatistics } from './migrations/2026112914_worker_filter_statistics.ts';
import { migration as sanctions } from './migrations/2026112915_sanctions.ts';
import { migration as payrollTaxOpenings } from './migrations/2026112916_payroll_tax_openings.ts';
import { migration as ballotDeviceLimits } from './migrations/2026112917_ballot_device_limits.ts';
import { migration as gradeRunResume } from './migrations/2026112918_grade_run_resume.ts';
import { migration as payrollRunInputs } from './migrations/2026112919_payroll_run_inputs.ts';
import { migration as assessmentHonours } from './migrations/2026112920_assessment_honours.ts';
import { migration as payslipClasses } from './migrations/2026112921_payslip_classes.ts';
import { migration as payrollReadIndexes } from './migrations/2026112922_payroll_read_indexes.ts';
import { migration as assessmentCyclePart } from './migrations/2026112923_assessment_cycle_part.ts';
import { migration as workerNameSearchIndexes } from './migrations/2026112924_worker_name_search_indexes.ts';
import { migration as importTypedStaging } from './migrations/2026120701_import_typed_staging.ts';
import { migration as payrollRunKeys } from './migrations/2026120702_payroll_run_keys.ts';
import { migration as payrollLookupCover } from './migrations/2026120703_payroll_lookup_cover.ts';
import { migration as payrollWorkerState } from './migrations/2026120704_payroll_worker_state.ts';
import type { ShegongMigration } from './migrations/helpers.ts';

/** Every migration in order. Forward-only: never edit one that has shipped; add a new file. */
const MIGRATIONS: Record<string, ShegongMigration> = {
  '2026112901_foundation': foundation,
  '2026112902_org_search': orgSearch,
  '2026112903_worker_registry': workerRegistry,
  '2026112904_contracts': contracts,
  '2026112905_staffing_standards': staffingStandards,
  '2026112906_worker_search': workerSearch,
  '2026112907_import_jobs': importJobs,
  '2026112908_correction_requests': correctionRequests,
  '2026112909_grades': grades,
  '2026112910_payroll': payroll,
  '2026112911_assessment': assessment,
  '2026112912_worker_list_index': workerListIndex,
  '2026112913_worker_filter_indexes': workerFilterIndexes,
  '2026112914_worker_filter_statistics': workerFilterStatistics,
  '2026112915_sanctions': sanctions,
  '2026112916_payroll_tax_openings': payrollTaxOpenings,
  '2026112917_ballot_device_limits': ballotDeviceLimits,
  '2026112918_grade_run_resume': gradeRunResume,
  '2026112919_payroll_run_inputs': payrollRunInputs,
  '2026112920_assessment_honours': assessmentHonours,
  '2026112921_payslip_classes': payslipClasses,
  '2026112922_payroll_read_indexes': payrollReadIndexes,
  '2026112923_assessment_cycle_part': assessmentCyclePart,
  '2026112924_worker_name_search_indexes': workerNameSearchIndexes,
  '2026120701_import_typed_staging': importTypedStaging,
  '2026120702_payroll_run_keys': payrollRunKeys,
  '2026120703_payroll_lookup_cover': payrollLookupCover,
  '2026120704_payroll_worker_state': payrollWorkerState,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly db: Db) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(MIGRATIONS)) {
      out[name] = { up: (k) => m.up(k, this.db.dialect) };
    }
    return out;
  }
}

export interface MigrateResult {
  applied: string[];
}

function migrator(db: Db): Migrator {
  return new Migrator({
    db: db.kysely,
    provider: new StaticProvider(db),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

function applied(results: MigrationResultSet): MigrateResult {
  const { error, results: list } = results;
  if (error) {
    const failed = list?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
  return { applied: (list ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Applies pending migrations; a no-op when the schema is current, safe to run concurrently. */
export async function migrateToLatest(db: Db): Promise<MigrateResult> {
  return applied(await migrator(db).migrateToLatest());
}

/** Applies migrations up to and including `name` (for tests of a migration on existing data). */
export async function migrateTo(db: Db, name: string): Promise<MigrateResult> {
  return applied(await migrator(db).migrateTo(name));
}
