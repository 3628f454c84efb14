import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ping } from '../db/database.js';
import { pendingMigrations } from '../db/migration-status.js';
import { type Logger, silentLogger } from '../lib/logger.js';
import { requestLog } from './middleware/request-log.js';
import { translator } from '../i18n/index.js';
import { ServiceError } from '../services/context.js';
import type { AppContext } from '../services/context.js';
import { hasAnyPerson } from '../services/account.service.js';
import { apiError, wordFields } from './api-errors.js';
import type { AppEnv } from './env.js';
import { csrfCheck } from './middleware/csrf.js';
import { securityHeaders, rejectNul } from './middleware/security.js';
import { identify } from './middleware/session.js';
import { Router } from './router.js';
import { registerApi } from './api.js';
import { registerPeopleApi } from './routes/api.routes.js';
import { registerOfferingsApi } from './routes/offerings.api.js';
import { registerOfferingBulkApi } from './routes/offering-bulk.api.js';
import { registerOfferingBulk } from './routes/offering-bulk.routes.js';
import { registerCompletionApi } from './routes/completion.api.js';
import { registerCompletion } from './routes/completion.routes.js';
import { registerCoordinators } from './routes/coordinators.routes.js';
import { registerPartners } from './routes/partners.routes.js';
import { registerPartnersApi } from './routes/partners.api.js';
import { registerSessionsApi } from './routes/sessions.api.js';
import { registerConsultations } from './routes/consultations.routes.js';
import { registerConsultationsApi } from './routes/consultations.api.js';
import { registerProjects } from './routes/projects.routes.js';
import { registerProjectsApi } from './routes/projects.api.js';
import { registerSurveys } from './routes/surveys.routes.js';
import { registerSurveysApi } from './routes/surveys.api.js';
import { registerReports } from './routes/reports.routes.js';
import { registerMap } from './routes/map.routes.js';
import { registerProgress } from './routes/progress.routes.js';
import { registerGaps } from './routes/gaps.routes.js';
import { registerPlan } from './routes/plan.routes.js';
import { registerReportsApi } from './routes/reports.api.js';
import { registerGapsApi } from './routes/gaps.api.js';
import { registerAccount } from './routes/account.routes.js';
import { registerHome } from './routes/home.routes.js';
import { registerAdmin } from './routes/admin.routes.js';
import { registerApprovals } from './routes/approvals.routes.js';
import { registerOfferings } from './routes/offerings.routes.js';
import { registerSessions } from './routes/sessions.routes.js';
import { registerProgrammes } from './routes/programmes.routes.js';
import { registerTrainings } from './routes/trainings.routes.js';
import { registerImports } from './routes/imports.routes.js';
import { registerPeople } from './routes/people.routes.js';
import { registerUnits } from './routes/units.routes.js';
import { renderStatusPage } from './views/status-page.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function asset(file: string): string {
  return readFileSync(join(here, 'assets', file), 'utf8');
}

/** Errors that mean the database cannot be reached (as opposed to a bug). */
export function isDatabaseDown(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  const code = err?.code ?? '';
  const message = String(err?.message ?? '');
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003'].includes(code) ||
    /Connection terminated|connect ECONNREFUSED|terminating connection|the database system is (starting up|shutting down)|PGlite is closed/i.test(message)
  );
}

/** Where the process is in its life: /readyz answers 503 unless 'ready'. */
export type Lifecycle = 'starting' | 'ready' | 'stopping';

export function createApp(ctx: AppContext, opts: { logger?: Logger; lifecycle?: () => Lifecycle } = {}) {
  const logger = opts.logger ?? silentLogger;
  const app = new Hono<AppEnv>();
  const assets = {
    'tokens.css': readFileSync(require.resolve('@digital-go-jp/design-tokens/dist/tokens.css'), 'utf8'),
    'app.css': asset('app.css'),
    'app.js': asset('app.js'),
  } as const;
  let setupDone = false;

  app.use('*', async (c, next) => {
    c.set('ctx', ctx);
    c.set('lang', 'ja');
    c.set('t', translator('ja'));
    c.set('user', null);
    c.set('csrf', '');
    await next();
  });
  app.use('*', requestLog(logger));
  // While shutting down, connections are not kept alive: each ends after the request in flight.
  app.use('*', async (c, next) => {
    await next();
    if (opts.lifecycle?.() === 'stopping') c.res.headers.set('Connection', 'close');
  });
  app.use('*', securityHeaders);
  // A body with a Content-Length is judged by it without touching the body (reading `c.req.raw.body`, as
  // Hono's bodyLimit does first, turns the request into a web stream on every request); a chunked body
  // is counted as it is read, by Hono's bodyLimit.
  const maxBody = 20 * 1024 * 1024;
  const tooLarge = (c: Context<AppEnv>) => c.text('Payload too large', 413);
  const chunkedLimit = bodyLimit({ maxSize: maxBody, onError: tooLarge });
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('Content-Length');
    if (length !== undefined && !c.req.header('Transfer-Encoding')) return Number.parseInt(length, 10) > maxBody ? tooLarge(c) : next();
    return chunkedLimit(c, next);
  });
  app.use('*', rejectNul);

  const router = new Router(app);
  // Health and static assets need neither a session nor the database.
  router.get('/healthz', 'public', async (c) => {
    const ok = await ping(ctx.db);
    return c.json({ status: ok ? 'ok' : 'unavailable', database: ctx.dbKind }, ok ? 200 : 503);
  });
  // Ready: started (not starting or shutting down), migrations applied and the database answering.
  let migrated = false;
  router.get('/readyz', 'public', async (c) => {
    const state = opts.lifecycle?.() ?? 'ready';
    if (state !== 'ready') {
      c.header('Retry-After', '5');
      return c.json({ status: state }, 503);
    }
    const database = await ping(ctx.db);
    if (database && !migrated) migrated = (await pendingMigrations(ctx.db).catch(() => ['?'])).length === 0;
    const ok = database && migrated;
    return c.json({ status: ok ? 'ready' : 'unavailable', database: database ? 'ok' : 'unavailable', migrations: migrated ? 'applied' : 'pending' }, ok ? 200 : 503);
  });
  router.get('/assets/:file', 'public', (c) => {
    const file = c.req.param('file') as keyof typeof assets;
    if (!(file in assets)) return c.notFound();
    const type = file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    return c.body(assets[file], 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' });
  });

  app.use('*', async (c, next) => {
    if (c.req.path === '/healthz' || c.req.path === '/readyz' || c.req.path.startsWith('/assets/')) return next();
    return identify(c, next);
  });
  app.use('*', async (c, next) => {
    const p = c.req.path;
    if (!setupDone && !p.startsWith('/assets/') && p !== '/healthz' && p !== '/readyz') {
      setupDone = await hasAnyPerson(ctx);
      if (!setupDone && p !== '/setup' && !p.startsWith('/lang/')) {
        if (p.startsWith('/api/')) return apiError(c, 503, 'setup_required', 'Open /setup to create the first administrator.');
        return c.redirect('/setup', 303);
      }
    }
    return next();
  });
  app.use('*', async (c, next) => {
    if (c.req.path === '/healthz' || c.req.path === '/readyz' || c.req.path.startsWith('/assets/')) return next();
    return csrfCheck(c, next);
  });

  registerAccount(router);
  registerHome(router);
  registerPeople(router);
  registerUnits(router);
  registerImports(router);
  registerTrainings(router);
  registerApprovals(router);
  registerOfferings(router);
  registerOfferingBulk(router);
  registerSessions(router);
  registerProgrammes(router);
  registerCompletion(router);
  registerCoordinators(router);
  registerPartners(router);
  registerConsultations(router);
  registerProjects(router);
  registerSurveys(router);
  registerReports(router);
  registerMap(router);
  registerProgress(router);
  registerGaps(router);
  registerPlan(router);
  registerAdmin(router);
  registerApi(router, [registerPeopleApi, registerOfferingsApi, registerOfferingBulkApi, registerCompletionApi, registerPartnersApi, registerSessionsApi, registerConsultationsApi, registerProjectsApi, registerSurveysApi, registerReportsApi, registerGapsApi]);
  router.assertAllGuarded();

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return apiError(c, 404, 'not_found', (c.get('t') ?? translator('ja'))('error.notFound'));
    return renderStatusPage(c, 404);
  });
  app.onError((e, c) => {
    const t = c.get('t') ?? translator('ja');
    const api = c.req.path.startsWith('/api/');
    if (e instanceof ServiceError) {
      if (api) return apiError(c, e.status, e.code, t(e.messageKey, e.params), wordFields(t, e.fields));
      if (e.status === 404) return renderStatusPage(c, 404);
      if (e.status === 403) return renderStatusPage(c, 403);
      return renderStatusPage(c, e.status, t(e.messageKey, e.params));
    }
    if (isDatabaseDown(e)) {
      if (api) return apiError(c, 503, 'unavailable', t('error.unavailable'));
      c.header('Retry-After', '10');
      return renderStatusPage(c, 503);
    }
    (c.get('log') ?? logger).error({ err: e, method: c.req.method, path: c.req.path }, 'unhandled error');
    if (api) return apiError(c, 500, 'server_error', t('error.server'));
    return renderStatusPage(c, 500);
  });

  return { app, routes: router.table };
}
