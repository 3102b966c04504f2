import { z } from 'zod';
import type { App } from '../../app.ts';
import { ZPaging, zPage } from '../../lib/paging.ts';
import { ZOrg, ZOrgParams, ZOrgSearchQuery, ZOrgUpdate } from './orgs.schema.ts';
import { findOrgChildren, getOrg, searchOrgs, updateOrg } from './orgs.service.ts';

export async function orgRoutes(app: App) {
  app.get(
    '/orgs',
    {
      schema: {
        tags: ['orgs'],
        summary: '按名称或代码搜索组织（限本人管辖范围）',
        querystring: ZOrgSearchQuery,
        response: { 200: zPage(ZOrg) },
      },
    },
    async (req) => searchOrgs(req.ctx, req.query.q, req.query.pageSize),
  );

  app.get('/orgs/:code', { schema: { tags: ['orgs'], summary: '组织详情', params: ZOrgParams, response: { 200: ZOrg } } }, async (req) =>
    getOrg(req.ctx, req.params.code),
  );

  app.get(
    '/orgs/:code/children',
    {
      schema: {
        tags: ['orgs'],
        summary: '下级组织（懒加载）',
        params: ZOrgParams,
        querystring: ZPaging.extend({ pageSize: z.coerce.number().int().min(1).max(1000).default(200) }),
        response: { 200: zPage(ZOrg) },
      },
    },
    async (req) => findOrgChildren(req.ctx, req.params.code, req.query.page, req.query.pageSize),
  );

  app.patch(
    '/orgs/:code',
    {
      config: { permission: 'orgs:write' },
      schema: { tags: ['orgs'], summary: '修改组织名称、常住人口、户数', params: ZOrgParams, body: ZOrgUpdate, response: { 200: ZOrg } },
    },
    async (req) => updateOrg(req.ctx, req.params.code, req.body),
  );
}
