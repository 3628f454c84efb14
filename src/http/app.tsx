import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { TrieRouter } from 'hono/router/trie-router';
import { ping } from '../db/database.js';
import { pendingMigrations } from '../db/migration-status.js';
import { type Logger, silentLogger } from '../lib/logger.js';
import { MatchCache } from './match-cache.js';
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
import { registerAccountApi } from './account/account.api.js';
import { registerPersonApi } from './person/person.api.js';
import { registerPersonalDataApi } from './personal-data/personal-data.api.js';
import { registerUnitApi } from './unit/unit.api.js';
import { registerOfferingApi } from './offering/offering.api.js';
import { registerProgrammeApi } from './programme/programme.api.js';
import { registerApplicationApi } from './application/application.api.js';
import { registerOfferingCopyApi } from './offering/offering-copy.api.js';
import { registerCohortMessageApi } from './offering/cohort-message.api.js';
import { registerOfferingCopyPages } from './offering/offering-copy.pages.js';
import { registerCohortMessagePages } from './offering/cohort-message.pages.js';
import { registerPaperPages } from './paper/paper.pages.js';
import { registerCompletionApi } from './completion/completion.api.js';
import { registerAttendanceApi } from './attendance/attendance.api.js';
import { registerCertificateApi } from './certificate/certificate.api.js';
import { registerCoordinatorApi } from './coordinator/coordinator.api.js';
import { registerCompletionPages } from './completion/completion.pages.js';
import { registerAttendancePages } from './attendance/attendance.pages.js';
import { registerCertificatePages } from './certificate/certificate.pages.js';
import { registerCredentialPages } from './credential/credential.pages.js';
import { registerCoordinatorPages } from './coordinator/coordinator.pages.js';
import { registerHistoryPages } from './history/history.pages.js';
import { registerPartnerPages } from './partner/partner.pages.js';
import { registerFieldOfferPages } from './field-offer/field-offer.pages.js';
import { registerPartnerApi } from './partner/partner.api.js';
import { registerFieldOfferApi } from './field-offer/field-offer.api.js';
import { registerSessionApi } from './session/session.api.js';
import { registerConsultationPages } from './consultation/consultation.pages.js';
import { registerConsultationDeskPages } from './consultation/desk.pages.js';
import { registerConsultationApi } from './consultation/consultation.api.js';
import { registerProjectPages } from './project/project.pages.js';
import { registerEvaluationCriterionPages } from './evaluation-criterion/evaluation-criterion.pages.js';
import { registerProjectApi } from './project/project.api.js';
import { registerEvaluationCriterionApi } from './evaluation-criterion/evaluation-criterion.api.js';
import { registerSurveyPages } from './survey/survey.pages.js';
import { registerSurveyTemplatePages } from './survey-template/survey-template.pages.js';
import { registerImpactPages } from './impact/impact.pages.js';
import { registerSurveyApi } from './survey/survey.api.js';
import { registerSurveyTemplateApi } from './survey-template/survey-template.api.js';
import { registerReportPages } from './report/report.pages.js';
import { registerMunicipalityMapPages } from './municipality-map/municipality-map.pages.js';
import { registerProgressReportPages } from './progress-report/progress-report.pages.js';
import { registerGapPages } from './gap/gap.pages.js';
import { registerPlanPages } from './plan/plan.pages.js';
import { registerPlanApi } from './plan/plan.api.js';
import { registerImportApi } from './import/import.api.js';
import { registerMapPositionsApi } from './municipality-map/map-positions.api.js';
import { registerReportApi } from './report/report.api.js';
import { registerGapApi } from './gap/gap.api.js';
import { registerHistoryApi } from './history/history.api.js';
import { registerAuditApi } from './audit/audit.api.js';
import { registerOutboxApi } from './outbox/outbox.api.js';
import { registerMunicipalityMapApi } from './municipality-map/municipality-map.api.js';
import { registerImpactApi } from './impact/impact.api.js';
import { registerAccountPages } from './account/account.pages.js';
import { registerSecondFactorPages } from './second-factor/second-factor.pages.js';
import { registerPersonalDataPages } from './personal-data/personal-data.pages.js';
import { registerHomePages } from './home/home.pages.js';
import { registerAuditPages } from './audit/audit.pages.js';
import { registerOutboxPages } from './outbox/outbox.pages.js';
import { registerApprovalPages } from './approval/approval.pages.js';
import { registerOfferingPages } from './offering/offering.pages.js';
import { registerSessionPages } from './session/session.pages.js';
import { registerProgrammePages } from './programme/programme.pages.js';
import { registerCataloguePages } from './catalogue/catalogue.pages.js';
import { registerApplicationPages } from './application/application.pages.js';
import { registerImportPages } from './import/import.pages.js';
import { registerPersonPages } from './person/person.pages.js';
import { registerUnitPages } from './unit/unit.pages.js';
import { registerAccessibilityPages } from './accessibility/accessibility.pages.js';
import { registerSsoPages } from './sso/sso.pages.js';
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
  const app = new Hono<AppEnv>({ router: new MatchCache(new TrieRouter()) });
  const assets = {
    'tokens.css': readFileSync(require.resolve('@digital-go-jp/design-tokens/dist/tokens.css'), 'utf8'),
    'app.css': asset('app.css'),
    'app.js': asset('app.js'),
    'favicon.svg': asset('favicon.svg'),
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
    const type = file.endsWith('.css') ? 'text/css; charset=utf-8' : file.endsWith('.svg') ? 'image/svg+xml' : 'text/javascript; charset=utf-8';
    return c.body(assets[file], 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' });
  });
  // Browsers ask for /favicon.ico on their own (for a PDF or a JSON answer, which link no icon): the app's
  // own icon, not a 404 in the log for every new tab.
  router.get('/favicon.ico', 'public', (c) => c.redirect('/assets/favicon.svg', 301));

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

  registerAccountPages(router);
  registerSecondFactorPages(router);
  registerPersonalDataPages(router);
  registerHomePages(router);
  registerPersonPages(router);
  registerUnitPages(router);
  registerImportPages(router);
  registerCataloguePages(router);
  registerApplicationPages(router);
  registerApprovalPages(router);
  registerOfferingPages(router);
  registerOfferingCopyPages(router);
  registerCohortMessagePages(router);
  registerPaperPages(router);
  registerSessionPages(router);
  registerProgrammePages(router);
  registerAttendancePages(router);
  registerCompletionPages(router);
  registerCertificatePages(router);
  registerCredentialPages(router);
  registerCoordinatorPages(router);
  registerHistoryPages(router);
  registerPartnerPages(router);
  registerFieldOfferPages(router);
  registerConsultationPages(router);
  registerConsultationDeskPages(router);
  registerProjectPages(router);
  registerEvaluationCriterionPages(router);
  registerSurveyPages(router);
  registerSurveyTemplatePages(router);
  registerImpactPages(router);
  registerReportPages(router);
  registerMunicipalityMapPages(router);
  registerProgressReportPages(router);
  registerGapPages(router);
  registerPlanPages(router);
  registerAuditPages(router);
  registerOutboxPages(router);
  registerAccessibilityPages(router);
  registerSsoPages(router);
  registerApi(router, [registerAccountApi, registerPersonApi, registerPersonalDataApi, registerUnitApi, registerProgrammeApi, registerOfferingApi, registerApplicationApi, registerOfferingCopyApi, registerCohortMessageApi, registerAttendanceApi, registerCompletionApi, registerCertificateApi, registerCoordinatorApi, registerPartnerApi, registerFieldOfferApi, registerSessionApi, registerConsultationApi, registerProjectApi, registerEvaluationCriterionApi, registerSurveyTemplateApi, registerSurveyApi, registerReportApi, registerGapApi, registerPlanApi, registerImportApi, registerMapPositionsApi, registerHistoryApi, registerAuditApi, registerOutboxApi, registerImpactApi, registerMunicipalityMapApi]);
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
    logger.error({ reqId: c.get('requestId'), err: e, method: c.req.method, path: c.req.path }, 'unhandled error');
    if (api) return apiError(c, 500, 'server_error', t('error.server'));
    return renderStatusPage(c, 500);
  });

  return { app, routes: router.table };
}
