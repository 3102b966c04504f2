/**
 * The audit chain under concurrent writers: two processes on one SQLite file (the server and the
 * CLI), and many pool connections on PostgreSQL. No write may fail or fork the chain.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemContext } from '../src/context.ts';
import { recordAudit, verifyAuditChain } from '../src/modules/audit/audit.service.ts';
import { describeEachDatabase } from './databases.ts';
import { createTestEnv, type TestEnv } from './factories.ts';

const CHILD = path.join(import.meta.dirname, 'fixtures', 'append-audit.mts');
const TSX = path.resolve(import.meta.dirname, '../../node_modules/.bin/tsx');

function runChild(file: string, count: number): Promise<{ errors: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CHILD, file, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`child exited ${code}: ${err}`));
      resolve({ errors: (JSON.parse(out.trim().split('\n').pop()!) as { errors: number }).errors, stderr: err });
    });
  });
}

describeEachDatabase('audit chain under concurrent writers', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(kind);
  });
  afterAll(async () => env?.close());

  if (kind === 'sqlite') {
    it('two processes appending at once lose nothing', async () => {
      const file = (env.deps.db.sqlite as unknown as { name: string }).name;
      const results = await Promise.all([runChild(file, 300), runChild(file, 300)]);
      expect(results.map((r) => r.errors)).toEqual([0, 0]);
      expect(await verifyAuditChain(env.deps.db.kysely)).toEqual({ ok: true, checked: 600 });
    });
  } else {
    it('concurrent pool connections keep one contiguous chain', async () => {
      const ctx = systemContext(env.deps, 'concurrency');
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => recordAudit(ctx, { action: 'concurrency.test', entityType: 'test', entityId: i })),
      );
      expect(await verifyAuditChain(env.deps.db.kysely)).toEqual({ ok: true, checked: 200 });
    });
  }
});
