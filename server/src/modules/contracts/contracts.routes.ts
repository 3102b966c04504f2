import { z } from 'zod';
import type { App } from '../../app.ts';
import { zPage } from '../../lib/paging.ts';
import {
  ZContract,
  ZContractAlert,
  ZContractAlertQuery,
  ZContractParams,
  ZContractRenew,
  ZContractSign,
  ZContractTerminate,
  ZEnrolment,
  ZInsuranceReplace,
  ZWorkerIdParams,
} from './contracts.schema.ts';
import {
  findContractAlerts,
  findWorkerContracts,
  findWorkerInsurance,
  renewContract,
  replaceWorkerInsurance,
  signContract,
  terminateContract,
} from './contracts.service.ts';

export async function contractRoutes(app: App) {
  const read = { permission: 'contracts:read' as const };
  const write = { permission: 'contracts:write' as const };
  app.get(
    '/workers/:id/contracts',
    {
      config: read,
      schema: {
        tags: ['contracts'],
        summary: '劳动合同列表（最新在前）',
        params: ZWorkerIdParams,
        response: { 200: z.object({ items: z.array(ZContract) }) },
      },
    },
    async (req) => ({ items: await findWorkerContracts(req.ctx, req.params.id) }),
  );
  app.post(
    '/workers/:id/contracts',
    {
      config: write,
      schema: { tags: ['contracts'], summary: '签订劳动合同', params: ZWorkerIdParams, body: ZContractSign, response: { 201: ZContract } },
    },
    async (req, reply) => reply.status(201).send(await signContract(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/contracts/:id/renew',
    {
      config: write,
      schema: {
        tags: ['contracts'],
        summary: '续签劳动合同（原合同标记为已续签）',
        params: ZContractParams,
        body: ZContractRenew,
        response: { 201: ZContract },
      },
    },
    async (req, reply) => reply.status(201).send(await renewContract(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/contracts/:id/terminate',
    {
      config: write,
      schema: {
        tags: ['contracts'],
        summary: '解除劳动合同',
        params: ZContractParams,
        body: ZContractTerminate,
        response: { 200: ZContract },
      },
    },
    async (req) => terminateContract(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/workers/:id/insurance',
    {
      config: read,
      schema: {
        tags: ['contracts'],
        summary: '五险一金参保情况',
        params: ZWorkerIdParams,
        response: { 200: z.object({ items: z.array(ZEnrolment) }) },
      },
    },
    async (req) => ({ items: await findWorkerInsurance(req.ctx, req.params.id) }),
  );
  app.put(
    '/workers/:id/insurance',
    {
      config: write,
      schema: {
        tags: ['contracts'],
        summary: '更新五险一金参保情况（整体替换）',
        params: ZWorkerIdParams,
        body: ZInsuranceReplace,
        response: { 200: z.object({ items: z.array(ZEnrolment) }) },
      },
    },
    async (req) => ({ items: await replaceWorkerInsurance(req.ctx, req.params.id, req.body) }),
  );
  app.get(
    '/alerts/contracts',
    {
      config: read,
      schema: {
        tags: ['contracts'],
        summary: '劳动合同与参保提醒（合同到期、试用期结束、未签合同、未参保）',
        querystring: ZContractAlertQuery,
        response: { 200: zPage(ZContractAlert) },
      },
    },
    async (req) => findContractAlerts(req.ctx, req.query),
  );
}
