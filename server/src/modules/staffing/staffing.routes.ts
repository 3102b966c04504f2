import type { App } from '../../app.ts';
import { ZOrgParams } from '../orgs/orgs.schema.ts';
import { ZStaffingStandardCreate, ZStaffingStandardView } from './staffing.schema.ts';
import { getStaffingStandard, setStaffingStandard } from './staffing.service.ts';

export async function staffingRoutes(app: App) {
  app.get(
    '/orgs/:code/staffing-standard',
    {
      config: { permission: 'dashboard:read' },
      schema: {
        tags: ['staffing'],
        summary: '配备标准（生效值及本级各版本）',
        params: ZOrgParams,
        response: { 200: ZStaffingStandardView },
      },
    },
    async (req) => getStaffingStandard(req.ctx, req.params.code),
  );
  app.post(
    '/orgs/:code/staffing-standard',
    {
      config: { permission: 'rules:write' },
      schema: {
        tags: ['staffing'],
        summary: '设置配备标准（新增一个生效版本）',
        params: ZOrgParams,
        body: ZStaffingStandardCreate,
        response: { 201: ZStaffingStandardView },
      },
    },
    async (req, reply) => reply.status(201).send(await setStaffingStandard(req.ctx, req.params.code, req.body)),
  );
}
