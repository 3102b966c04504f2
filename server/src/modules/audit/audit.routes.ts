import { z } from 'zod';
import type { App } from '../../app.ts';
import { AppError } from '../../lib/errors.ts';
import { ZPaging, zPage } from '../../lib/paging.ts';
import { findOrgInScope } from '../orgs/orgs.service.ts';
import { ZOrgCode } from '../orgs/orgs.schema.ts';
import { findAuditEntries, verifyAuditChain } from './audit.service.ts';

const ZAuditEntry = z.object({
  seq: z.number().int(),
  ts: z.string(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  orgCode: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

const ZAuditQuery = ZPaging.extend({
  action: z.string().trim().max(64).optional(),
  actor: z.string().trim().max(64).optional(),
  entityType: z.string().trim().max(32).optional(),
  entityId: z.string().trim().max(64).optional(),
  from: z
    .string()
    .datetime({ offset: true })
    .or(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))
    .optional(),
  to: z
    .string()
    .datetime({ offset: true })
    .or(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))
    .optional(),
  orgCode: ZOrgCode.optional(),
});

export async function auditRoutes(app: App) {
  app.get(
    '/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: '审计日志（限管辖范围，最新在前）',
        querystring: ZAuditQuery,
        response: { 200: zPage(ZAuditEntry) },
      },
    },
    async (req) => {
      const { page, pageSize, orgCode, ...filters } = req.query;
      let orgLevel: number | undefined;
      if (orgCode) {
        const org = await findOrgInScope(req.ctx, orgCode);
        if (!org) return { items: [], total: 0 };
        orgLevel = org.level;
      }
      return findAuditEntries(req.ctx, { ...filters, orgCode, orgLevel }, page, pageSize);
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: '校验审计日志哈希链（全国范围，仅系统管理员与审计角色）',
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            firstBrokenSeq: z.number().int().optional(),
            reason: z.string().optional(),
          }),
        },
      },
    },
    async (req) => {
      const role = req.ctx.actor?.role;
      if (role !== 'sys_admin' && role !== 'auditor') throw new AppError('FORBIDDEN');
      return verifyAuditChain(req.ctx.deps.db.kysely);
    },
  );
}
