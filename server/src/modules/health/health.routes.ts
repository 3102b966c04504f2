import { z } from 'zod';
import type { App } from '../../app.ts';
import { pingDatabase } from '../../db/database.ts';

export async function healthRoutes(app: App) {
  app.get(
    '/health',
    {
      config: { auth: 'public' },
      schema: { tags: ['health'], summary: '健康检查', security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async (req) => {
      await pingDatabase(req.ctx.deps.db);
      return { status: 'ok' as const };
    },
  );
}
