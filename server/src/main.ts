import { buildApp } from './app.ts';
import { createDeps, ensureFirstAdmin, prepareDatabase, saveCredentials, type Credential } from './bootstrap.ts';
import { loadConfig } from './config.ts';
import { optimizeDatabase } from './db/database.ts';
import { systemContext } from './context.ts';
import { purgeExpiredSessions } from './modules/auth/auth.service.ts';
import { isDemoSeeded, seedDemo } from './modules/demo/demo.service.ts';
import { recoverImportJobs } from './modules/workers/import/import.service.ts';
import { recoverPayrollRuns } from './modules/payroll/payroll.service.ts';
import { recoverGradeRuns } from './modules/grades/grades.service.ts';

function printCredentials(title: string, creds: Credential[], file: string) {
  console.log(`\n  ${title}`);
  for (const c of creds) console.log(`    ${c.role.padEnd(15)} ${c.username.padEnd(18)} ${c.password}   ${c.orgName ?? c.orgCode}`);
  console.log(`  (saved to ${file}, readable only by you; every password must be changed at first sign-in)\n`);
}

/** Starts the product: migrate, first-start admin and demo, then serve the API and the web app. */
async function main() {
  const config = loadConfig();
  const deps = createDeps(config);
  const applied = await prepareDatabase(deps);
  if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);

  const admin = await ensureFirstAdmin(deps);
  if (admin) {
    const file = saveCredentials(config.dataDir, 'Administrator / 系统管理员', [admin]);
    printCredentials('First start: administrator account / 首次启动：系统管理员账号', [admin], file);
  }
  if (process.env.SHEGONG_DEMO !== '0' && !(await isDemoSeeded(deps))) {
    console.log('Seeding the demo city (杭州市) … / 正在生成演示数据 …');
    const result = await seedDemo(systemContext(deps, 'demo-seed'), {});
    const file = saveCredentials(config.dataDir, 'Demo accounts / 演示账号', result.accounts);
    console.log(`  Demo: ${result.orgs} org units, ${result.workers} workers.`);
    printCredentials('Demo accounts, one per role / 演示账号（每个角色一个）', result.accounts, file);
  }

  // Planner statistics for the data as it now stands (cheap when nothing changed).
  await optimizeDatabase(deps.db);
  const app = await buildApp(deps, { logger: { level: config.logLevel }, trustProxy: config.trustProxy });
  // Expired sessions are useless; drop them at start and hourly.
  await purgeExpiredSessions(deps);
  // Imports a previous process left half-done are marked failed (a commit is one transaction).
  await recoverImportJobs(systemContext(deps, 'startup'));
  // Payroll runs left `computing` by a stopped process resume from their last committed chunk.
  await recoverPayrollRuns(systemContext(deps, 'startup'));
  // Grade runs left `computing` or `applying` resume from their last committed chunk.
  await recoverGradeRuns(systemContext(deps, 'startup'));
  const purge = setInterval(() => void purgeExpiredSessions(deps).catch(() => undefined), 3600_000);
  purge.unref();
  const close = async () => {
    await app.close();
    await deps.db.close();
    process.exit(0);
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  console.log(`\n  shegong 社工 is running at http://${shown}:${config.port}`);
  console.log(`  Sign in with the accounts above (also in ${config.dataDir}/initial-credentials.txt).\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
