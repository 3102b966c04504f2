import type { Kysely } from 'kysely';
import type { AppConfig } from './config.ts';
import type { Db } from './db/database.ts';
import type { Database } from './db/schema.ts';
import type { DataCipher } from './lib/crypto.ts';
import { NATION_CODE, type Scope } from './lib/scope.ts';
import type { Role } from './modules/meta/enums.ts';

/** Long-lived dependencies, built once per process (server or CLI). */
export interface Deps {
  db: Db;
  cipher: DataCipher;
  config: AppConfig;
}

/** The signed-in user on whose behalf an operation runs. */
export interface Actor {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  orgCode: string;
  orgLevel: number;
  workerId: number | null;
}

/**
 * What every operation receives: dependencies, who is acting and from where, and the scope that
 * every query must filter by. Routes, the CLI, batch jobs and tests build it the same way.
 */
export interface OpContext {
  deps: Deps;
  actor: Actor | null;
  /** Shown in the audit log when there is no actor (CLI, jobs): e.g. `cli`, `system`. */
  systemName?: string;
  ip: string | null;
  lang: 'zh' | 'en';
  scope: Scope;
}

export type Tx = Kysely<Database>;

/** A context for trusted operators (CLI, first start): nation-wide scope, no user. */
export function systemContext(deps: Deps, systemName = 'system'): OpContext {
  return { deps, actor: null, systemName, ip: null, lang: 'zh', scope: { orgCode: NATION_CODE, level: 0 } };
}

/** A context acting as a user, narrowed to the user's org (and own record for workers). */
export function userContext(deps: Deps, actor: Actor, ip: string | null = null, lang: 'zh' | 'en' = 'zh'): OpContext {
  return {
    deps,
    actor,
    ip,
    lang,
    scope: { orgCode: actor.orgCode, level: actor.orgLevel, workerId: actor.role === 'worker' ? (actor.workerId ?? -1) : null },
  };
}
