import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps, OpContext } from '../context.ts';
import { userContext } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { NATION_CODE } from '../lib/scope.ts';
import { authenticateSession, type SessionUser } from '../modules/auth/auth.service.ts';
import { hasPermission, type Permission } from '../modules/auth/roles.ts';

export const SESSION_COOKIE = 'sg_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `public`: no sign-in needed. Default: a session is required. */
    auth?: 'public' | 'session';
    permission?: Permission;
    /** Reachable while the user still has to change the initial password. */
    allowDuringPasswordChange?: boolean;
  }
  interface FastifyRequest {
    ctx: OpContext;
    sessionUser: SessionUser | null;
  }
}

export function requestLang(req: FastifyRequest): 'zh' | 'en' {
  const q = (req.query as { lang?: string } | undefined)?.lang;
  if (q === 'en' || q === 'zh') return q;
  return /^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'zh';
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF defence for cookie-authenticated writes: browsers mark cross-site requests with
 * `Sec-Fetch-Site` and `Origin`; we refuse writes whose origin is not this site. Non-browser
 * clients send neither and are not exposed to CSRF. Only JSON bodies are parsed, which a
 * cross-site form cannot send without a CORS preflight we never grant.
 */
function checkSameOrigin(req: FastifyRequest): void {
  if (!UNSAFE_METHODS.has(req.method)) return;
  const site = req.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') throw new AppError('CSRF_REJECTED');
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new AppError('CSRF_REJECTED');
    }
    const forwarded = req.headers['x-forwarded-host'];
    const expected = (Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? req.headers.host;
    if (host !== expected) throw new AppError('CSRF_REJECTED');
  } else if (origin === 'null') {
    throw new AppError('CSRF_REJECTED');
  }
}

/** Builds `request.ctx` for every API route and enforces sign-in, forced password change and permissions. */
export function registerRequestContext(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('ctx', null as unknown as OpContext);
  app.decorateRequest('sessionUser', null);

  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/api/')) checkSameOrigin(req);
  });

  app.addHook('preHandler', async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!req.url.startsWith('/api/') || req.is404) return;
    const lang = requestLang(req);
    const ip = req.ip ?? null;
    const cfg = req.routeOptions.config;
    const anonymous: OpContext = { deps, actor: null, ip, lang, scope: { orgCode: NATION_CODE, level: -1 } };
    req.ctx = anonymous;
    const token = req.cookies[SESSION_COOKIE];
    const user = token ? await authenticateSession(anonymous, token) : null;
    req.sessionUser = user;
    if (user) req.ctx = userContext(deps, user, ip, lang);
    if (cfg.auth === 'public') return;
    if (!user) throw new AppError('UNAUTHENTICATED');
    if (user.mustChangePassword && !cfg.allowDuringPasswordChange) throw new AppError('PASSWORD_CHANGE_REQUIRED');
    if (cfg.permission && !hasPermission(user.role, cfg.permission)) throw new AppError('FORBIDDEN');
  });
}
