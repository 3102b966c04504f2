import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from './context.ts';
import { fieldLabel } from './http/field-labels.ts';
import { registerRequestContext, requestLang } from './http/request-context.ts';
import { AppError } from './lib/errors.ts';
import { assessmentRoutes } from './modules/assessment/assessment.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { contractRoutes } from './modules/contracts/contracts.routes.ts';
import { correctionRoutes } from './modules/corrections/corrections.routes.ts';
import { exitRoutes } from './modules/exits/exits.routes.ts';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.ts';
import { gradeRoutes } from './modules/grades/grades.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { metaRoutes } from './modules/meta/meta.routes.ts';
import { orgRoutes } from './modules/orgs/orgs.routes.ts';
import { payrollRoutes } from './modules/payroll/payroll.routes.ts';
import { sanctionRoutes } from './modules/sanctions/sanctions.routes.ts';
import { honourRoutes } from './modules/assessment/honours.routes.ts';
import { staffingRoutes } from './modules/staffing/staffing.routes.ts';
import { userRoutes } from './modules/users/users.routes.ts';
import { workerImportRoutes } from './modules/workers/import/import.routes.ts';
import { workerRoutes } from './modules/workers/workers.routes.ts';

z.config(z.locales.zhCN());

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  ZodTypeProvider
>;

export interface BuildAppOptions {
  logger?: boolean | { level: string };
  /** Trust X-Forwarded-* from a reverse proxy (set when deployed behind one). */
  trustProxy?: boolean;
}

function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Builds the HTTP application: security plugins, the API under /api/v1, and the web app at /. */
export async function buildApp(deps: Deps, options: BuildAppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Only JSON bodies: text/plain is what cross-site "simple" requests can send.
  app.removeContentTypeParser('text/plain');

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS styles at runtime.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: deps.config.secureCookies,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'shegong 社工 API', version: '1.0.0', description: '社区工作者队伍管理平台 API' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sg_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  registerRequestContext(app, deps);

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const lang = requestLang(req);
    if (err instanceof AppError) {
      return reply.status(err.status).send(errorBody(err.code, lang === 'en' ? err.messageEn : err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => {
        const field =
          v.instancePath.replace(/^\//, '').replaceAll('/', '.') ||
          String((v.params as { issue?: { path?: unknown[] } })?.issue?.path?.join('.') ?? '');
        return { field, message: `${fieldLabel(field)}：${v.message ?? '无效'}` };
      });
      const first = issues[0]?.message ?? '';
      const message =
        lang === 'en'
          ? `Invalid input: ${issues.map((i) => i.field).join(', ')}`
          : `输入有误：${first}${issues.length > 1 ? ` 等${issues.length}处` : ''}`;
      return reply.status(400).send(errorBody('VALIDATION_FAILED', message, { issues }));
    }
    const e = err as FastifyError;
    const toApp = (code: 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'BAD_REQUEST' | 'RATE_LIMITED') => {
      const a = new AppError(code);
      return reply.status(a.status).send(errorBody(a.code, lang === 'en' ? a.messageEn : a.message));
    };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return toApp('PAYLOAD_TOO_LARGE');
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) return toApp('UNSUPPORTED_MEDIA_TYPE');
    if (e.statusCode === 429) return toApp('RATE_LIMITED');
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return toApp('BAD_REQUEST');
    req.log.error({ err }, 'unhandled error');
    const a = new AppError('INTERNAL');
    return reply.status(500).send(errorBody(a.code, lang === 'en' ? a.messageEn : a.message));
  });

  await app.register(
    async (api) => {
      const typed = api.withTypeProvider<ZodTypeProvider>() as unknown as App;
      await healthRoutes(typed);
      await authRoutes(typed);
      await metaRoutes(typed);
      await orgRoutes(typed);
      await userRoutes(typed);
      await workerRoutes(typed);
      await workerImportRoutes(typed);
      await contractRoutes(typed);
      await correctionRoutes(typed);
      await auditRoutes(typed);
      await dashboardRoutes(typed);
      await staffingRoutes(typed);
      await assessmentRoutes(typed);
      await exitRoutes(typed);
      await payrollRoutes(typed);
      await gradeRoutes(typed);
      await sanctionRoutes(typed);
      await honourRoutes(typed);
      api.get('/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );

  const indexHtml = path.join(deps.config.webDist, 'index.html');
  const hasWeb = fs.existsSync(indexHtml);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: deps.config.webDist, wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') {
      const a = new AppError('NOT_FOUND');
      return reply.status(404).send(errorBody(a.code, requestLang(req) === 'en' ? a.messageEn : a.message));
    }
    if (!hasWeb) {
      return reply.type('text/plain; charset=utf-8').status(503).send('Web app not built: run `npm run build` (npm start does this).');
    }
    // Single-page app: unknown paths are client routes.
    const asset = path.join(deps.config.webDist, req.url.split('?')[0] ?? '');
    if (asset.startsWith(deps.config.webDist) && fs.existsSync(asset) && fs.statSync(asset).isFile()) {
      return reply.sendFile(path.relative(deps.config.webDist, asset));
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });

  return app as unknown as App;
}
