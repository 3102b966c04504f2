import { z } from 'zod';
import type { App } from '../../app.ts';
import { SESSION_COOKIE } from '../../http/request-context.ts';
import { AppError } from '../../lib/errors.ts';
import { ZLogin, ZChangePassword, ZMe, type TMe } from './auth.schema.ts';
import { changeOwnPassword, login, logout, type SessionUser } from './auth.service.ts';
import { ROLE_PERMISSIONS } from './roles.ts';

function presentMe(u: SessionUser): TMe {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    orgCode: u.orgCode,
    orgName: u.orgName,
    orgLevel: u.orgLevel,
    workerId: u.workerId,
    mustChangePassword: u.mustChangePassword,
    permissions: [...(ROLE_PERMISSIONS[u.role] ?? [])],
  };
}

export async function authRoutes(app: App) {
  app.post(
    '/auth/login',
    {
      config: { auth: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: '登录', security: [], body: ZLogin, response: { 200: z.object({ user: ZMe }) } },
    },
    async (req, reply) => {
      const result = await login(req.ctx, { ...req.body, userAgent: req.headers['user-agent'] ?? null });
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: req.ctx.deps.config.secureCookies || req.protocol === 'https',
        maxAge: req.ctx.deps.config.sessionTtlHours * 3600,
      });
      return { user: presentMe(result.user) };
    },
  );

  app.post(
    '/auth/logout',
    { config: { allowDuringPasswordChange: true }, schema: { tags: ['auth'], summary: '退出登录', response: { 204: z.null() } } },
    async (req, reply) => {
      if (req.sessionUser) await logout(req.ctx, req.sessionUser.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { allowDuringPasswordChange: true },
      schema: { tags: ['auth'], summary: '当前用户', response: { 200: z.object({ user: ZMe }) } },
    },
    async (req) => {
      if (!req.sessionUser) throw new AppError('UNAUTHENTICATED');
      return { user: presentMe(req.sessionUser) };
    },
  );

  app.post(
    '/auth/password',
    {
      config: { allowDuringPasswordChange: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: '修改本人密码', body: ZChangePassword, response: { 204: z.null() } },
    },
    async (req, reply) => {
      if (!req.sessionUser) throw new AppError('UNAUTHENTICATED');
      await changeOwnPassword(req.ctx, req.sessionUser.sessionId, req.body);
      return reply.status(204).send(null);
    },
  );
}
