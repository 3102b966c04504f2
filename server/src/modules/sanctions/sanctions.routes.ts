import type { App } from '../../app.ts';
import { zPage } from '../../lib/paging.ts';
import {
  ZSanction,
  ZSanctionCreate,
  ZSanctionListItem,
  ZSanctionListQuery,
  ZSanctionParams,
  ZSanctionRevoke,
  ZSanctionWorkerParams,
  ZWorkerSanctions,
} from './sanctions.schema.ts';
import { findSanctions, findWorkerSanctions, recordSanction, revokeSanction } from './sanctions.service.ts';

/** The disciplinary sanction register (处分登记): per worker, the register list, and revocation. */
export async function sanctionRoutes(app: App) {
  const tags = ['sanctions'];
  const read = { permission: 'sanctions:read' as const };
  const write = { permission: 'sanctions:write' as const };
  app.get(
    '/workers/:id/sanctions',
    {
      config: read,
      schema: { tags, summary: '人员处分记录（最新在前，含已撤销）', params: ZSanctionWorkerParams, response: { 200: ZWorkerSanctions } },
    },
    async (req) => ({ items: await findWorkerSanctions(req.ctx, req.params.id) }),
  );
  app.post(
    '/workers/:id/sanctions',
    {
      config: write,
      schema: {
        tags,
        summary: '登记处分（决定日期不得晚于今天，影响期截止日期不得早于决定日期）',
        params: ZSanctionWorkerParams,
        body: ZSanctionCreate,
        response: { 201: ZSanction },
      },
    },
    async (req, reply) => reply.status(201).send(await recordSanction(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/sanctions/:id/revoke',
    {
      config: write,
      schema: {
        tags,
        summary: '撤销处分（须填写原因；撤销后不再计入考核否决和退出规则）',
        params: ZSanctionParams,
        body: ZSanctionRevoke,
        response: { 200: ZSanction },
      },
    },
    async (req) => revokeSanction(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/sanctions',
    {
      config: read,
      schema: {
        tags,
        summary: '处分登记簿（按组织、年度、种类、状态筛选，分页）',
        querystring: ZSanctionListQuery,
        response: { 200: zPage(ZSanctionListItem) },
      },
    },
    async (req) => findSanctions(req.ctx, req.query),
  );
}
