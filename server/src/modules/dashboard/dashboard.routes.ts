import { z } from 'zod';
import type { App } from '../../app.ts';
import { ZOrg, ZOrgCode } from '../orgs/orgs.schema.ts';
import { ZEffectiveStandard } from '../staffing/staffing.schema.ts';
import { getDashboardSummary } from './dashboard.service.ts';

const ZCount = z.object({ code: z.string(), count: z.number().int() });

export const ZDashboardSummary = z.object({
  org: ZOrg,
  headcount: z.number().int(),
  population: z.number().int(),
  households: z.number().int(),
  standardPer10k: z.number(),
  /** Which rule gave the standard: the explanation of standardHeadcount. */
  standard: ZEffectiveStandard,
  standardHeadcount: z.number().int(),
  ratioPer10k: z.number().nullable(),
  byStatus: z.array(ZCount),
  byPost: z.array(ZCount),
  /** Derived from byPost: principal / deputy / staff. */
  byPostCategory: z.array(ZCount),
  byEducation: z.array(ZCount),
  byPoliticalStatus: z.array(ZCount),
  /** Social-work qualification level; workers without one count as 'none'. */
  byQualification: z.array(ZCount),
  byAgeBand: z.array(z.object({ band: z.string(), count: z.number().int() })),
  children: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      headcount: z.number().int(),
      population: z.number().int(),
      standardPer10k: z.number(),
      standardHeadcount: z.number().int(),
      ratioPer10k: z.number().nullable(),
    }),
  ),
});

export async function dashboardRoutes(app: App) {
  app.get(
    '/dashboard/summary',
    {
      config: { permission: 'dashboard:read' },
      schema: {
        tags: ['dashboard'],
        summary: '队伍规模与配备标准（限管辖范围）',
        querystring: z.object({ orgCode: ZOrgCode.optional() }),
        response: { 200: ZDashboardSummary },
      },
    },
    async (req) => getDashboardSummary(req.ctx, req.query.orgCode),
  );
}
