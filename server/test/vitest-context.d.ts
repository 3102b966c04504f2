// Values the global setup (test/global-setup.ts) hands to test files through `inject()`.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server for integration tests, or null when PostgreSQL is absent. */
    pgAdminUrl: string | null;
  }
}
