import path from 'node:path';

/** Runtime configuration, read once from the environment (the server and the CLI read the same). */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; when absent the embedded SQLite database under dataDir is used. */
  databaseUrl: string | undefined;
  /** 32-byte key (base64 or hex) for personal data encryption; when absent a key file in dataDir is used. */
  dataKey: string | undefined;
  /** Serve over HTTPS semantics (Secure cookies). Set when a TLS-terminating proxy is in front. */
  secureCookies: boolean;
  /** Directory of the built web app, served at /. */
  webDist: string;
  sessionTtlHours: number;
  logLevel: string;
  /** Trust X-Forwarded-For/-Host from a reverse proxy, so audit entries record the client's address. */
  trustProxy: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const root = process.cwd();
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(root, env.SHEGONG_DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    dataKey: env.SHEGONG_DATA_KEY || undefined,
    secureCookies: env.SHEGONG_SECURE_COOKIES === '1' || env.SHEGONG_SECURE_COOKIES === 'true',
    webDist: path.resolve(env.SHEGONG_WEB_DIST ?? path.join(import.meta.dirname, '../../web/dist')),
    sessionTtlHours: Number(env.SHEGONG_SESSION_TTL_HOURS ?? 12),
    logLevel: env.LOG_LEVEL ?? 'warn',
    trustProxy: env.SHEGONG_TRUST_PROXY === '1' || env.SHEGONG_TRUST_PROXY === 'true',
  };
}
