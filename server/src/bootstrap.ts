import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './config.ts';
import { systemContext, type Deps } from './context.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createDataCipher, loadOrCreateMasterKey } from './lib/crypto.ts';
import { NATION_CODE } from './lib/scope.ts';
import { nowIso } from './lib/time.ts';
import { ensureNationRootOrg } from './modules/orgs/orgs.service.ts';
import { createUser } from './modules/users/users.service.ts';

/** Opens the configured database and key; does not migrate. */
export function createDeps(config: AppConfig): Deps {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase({ databaseUrl: config.databaseUrl, sqliteFile: path.join(config.dataDir, 'shegong.db') });
  const cipher = createDataCipher(loadOrCreateMasterKey(config.dataDir, config.dataKey));
  return { db, cipher, config };
}

/** Migrates and makes sure the nation root node exists. Safe to run any number of times. */
export async function prepareDatabase(deps: Deps): Promise<string[]> {
  const { applied } = await migrateToLatest(deps.db);
  await ensureNationRootOrg(deps);
  return applied;
}

export interface Credential {
  username: string;
  password: string;
  role: string;
  orgCode: string;
  orgName?: string;
}

export const CREDENTIALS_FILE = 'initial-credentials.txt';

/** Appends credentials to `<dataDir>/initial-credentials.txt`, readable by its owner only. */
export function saveCredentials(dataDir: string, title: string, creds: Credential[]): string {
  const file = path.join(dataDir, CREDENTIALS_FILE);
  const lines = [
    `# ${title} — ${nowIso()}`,
    '# 首次登录后须修改密码。请妥善保管并在使用后删除本文件。 / Change at first sign-in; delete this file after use.',
    ...creds.map((c) => `${c.role}\t${c.username}\t${c.password}\t${c.orgCode}${c.orgName ? `\t${c.orgName}` : ''}`),
    '',
  ];
  fs.appendFileSync(file, lines.join('\n'), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

/**
 * On the very first start (no users at all) creates the administrator `admin` with a random
 * password that must be changed at first sign-in. Returns the credential, or null when users exist.
 */
export async function ensureFirstAdmin(deps: Deps): Promise<Credential | null> {
  const any = await deps.db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const ctx = systemContext(deps, 'first-start');
  const { temporaryPassword } = await createUser(ctx, {
    username: 'admin',
    displayName: '系统管理员',
    role: 'sys_admin',
    orgCode: NATION_CODE,
  });
  return { username: 'admin', password: temporaryPassword!, role: 'sys_admin', orgCode: NATION_CODE, orgName: '全国' };
}
