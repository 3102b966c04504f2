import { z } from 'zod';
import type { App } from '../../app.ts';
import { zPage } from '../../lib/paging.ts';
import { ZUser, ZUserCreate, ZUserListQuery, ZUserParams, ZUserUpdate } from './users.schema.ts';
import { createUser, findUsers, getUser, resetUserPassword, updateUser } from './users.service.ts';

export async function userRoutes(app: App) {
  const cfg = { permission: 'users:manage' as const };
  app.get(
    '/users',
    { config: cfg, schema: { tags: ['users'], summary: '用户列表', querystring: ZUserListQuery, response: { 200: zPage(ZUser) } } },
    async (req) => findUsers(req.ctx, req.query),
  );
  app.post(
    '/users',
    {
      config: cfg,
      schema: {
        tags: ['users'],
        summary: '新建用户',
        body: ZUserCreate,
        response: { 201: z.object({ user: ZUser, temporaryPassword: z.string().optional() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await createUser(req.ctx, req.body)),
  );
  app.get(
    '/users/:id',
    { config: cfg, schema: { tags: ['users'], summary: '用户详情', params: ZUserParams, response: { 200: ZUser } } },
    async (req) => getUser(req.ctx, req.params.id),
  );
  app.patch(
    '/users/:id',
    {
      config: cfg,
      schema: {
        tags: ['users'],
        summary: '修改用户（姓名、角色、组织、停用）',
        params: ZUserParams,
        body: ZUserUpdate,
        response: { 200: ZUser },
      },
    },
    async (req) => updateUser(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/users/:id/reset-password',
    {
      config: cfg,
      schema: { tags: ['users'], summary: '重置密码', params: ZUserParams, response: { 200: z.object({ temporaryPassword: z.string() }) } },
    },
    async (req) => resetUserPassword(req.ctx, req.params.id),
  );
}
