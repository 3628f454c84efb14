import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import type { AppContext } from '../../src/services/context.js';

/**
 * Everything a page changes can be changed from the prefecture's own scripts (issue 20 §2). Every page
 * route that changes data is listed here exactly once: with the API operation doing the same, or with
 * the reason it has none by design. There are no known gaps left: a new page route that changes data
 * fails this test until it has its API operation (or a reason).
 */
const { routes } = createApp({ db: null, dbKind: 'pglite', config: { baseUrl: 'http://kyodo.test' }, now: () => new Date(), kickOutbox: () => {} } as unknown as AppContext);

/** Page route → the API operation that does the same. */
const sameInApi: Record<string, string> = {
  'POST /admin/people': 'POST /api/v1/people',
  'POST /admin/people/:id': 'PUT /api/v1/people/:id',
  'POST /admin/people/:id/activate': 'POST /api/v1/people/:id/activate',
  'POST /admin/people/:id/deactivate': 'POST /api/v1/people/:id/deactivate',
  'POST /admin/people/:id/invite': 'POST /api/v1/people/:id/invite',
  'POST /admin/people/:id/anonymise': 'POST /api/v1/people/:id/anonymise',
  'POST /admin/units': 'POST /api/v1/units',
  'POST /admin/units/:id': 'PUT /api/v1/units/:id',
  'POST /admin/units/:id/activate': 'POST /api/v1/units/:id/activate',
  'POST /admin/units/:id/deactivate': 'POST /api/v1/units/:id/deactivate',
  'POST /trainings/:id/apply': 'POST /api/v1/offerings/:id/applications',
  'POST /admin/offerings/:id/proxy': 'POST /api/v1/offerings/:id/applications',
  'POST /applications/:id/cancel': 'POST /api/v1/applications/:id/cancel',
  'POST /my/applications/:id/answers': 'PUT /api/v1/applications/:id/answers',
  'POST /approvals/:id': 'POST /api/v1/applications/:id/endorse',
  'POST /admin/offerings': 'POST /api/v1/offerings',
  'POST /admin/offerings/:id': 'PUT /api/v1/offerings/:id',
  'POST /admin/offerings/:id/cancel': 'POST /api/v1/offerings/:id/cancel',
  'POST /admin/offerings/:id/delete': 'DELETE /api/v1/offerings/:id',
  'POST /admin/offerings/:id/lottery': 'POST /api/v1/offerings/:id/lottery',
  'POST /admin/offerings/:id/decisions': 'POST /api/v1/offerings/:id/decisions',
  'POST /admin/offerings/:id/copy': 'POST /api/v1/offerings/:id/copy',
  'POST /admin/offerings/:id/messages': 'POST /api/v1/offerings/:id/messages',
  'POST /admin/offerings/:id/sessions': 'POST /api/v1/offerings/:id/sessions',
  'POST /admin/offerings/:id/field-sessions': 'POST /api/v1/offerings/:id/field-sessions',
  'POST /admin/offerings/:id/sessions/:sid': 'PUT /api/v1/sessions/:id',
  'POST /admin/offerings/:id/sessions/:sid/delete': 'DELETE /api/v1/sessions/:id',
  'POST /admin/programmes': 'POST /api/v1/programmes',
  'POST /admin/programmes/:id': 'PUT /api/v1/programmes/:id',
  'POST /admin/sessions/:id/attendance': 'PUT /api/v1/sessions/:id/attendance',
  'POST /kiosk/sessions/:id': 'POST /api/v1/sessions/:id/check-in',
  'POST /admin/offerings/:id/completion-rule': 'PUT /api/v1/offerings/:id/completion-rule',
  'POST /admin/applications/:id/assignment-review': 'POST /api/v1/applications/:id/assignment-review',
  'POST /admin/applications/:id/sign-off': 'POST /api/v1/applications/:id/sign-off',
  'POST /admin/applications/:id/override': 'POST /api/v1/applications/:id/completion-override',
  'POST /admin/certificates/:number/revoke': 'POST /api/v1/certificates/:number/revoke',
  'POST /admin/partners': 'POST /api/v1/partners',
  'POST /admin/partners/:id': 'PUT /api/v1/partners/:id',
  'POST /partner': 'PUT /api/v1/partners/:id',
  'POST /admin/partners/:id/sites': 'POST /api/v1/partners/:id/sites',
  'POST /partner/sites': 'POST /api/v1/partners/:id/sites',
  'POST /admin/partners/:id/members': 'POST /api/v1/partners/:id/members',
  'POST /partner/offers': 'POST /api/v1/offers',
  'POST /admin/field-offers/:id/accept': 'POST /api/v1/offers/:id/accept',
  'POST /admin/field-offers/:id/decline': 'POST /api/v1/offers/:id/decline',
  'POST /consultations': 'POST /api/v1/consultations',
  'POST /consultations/:id/assign': 'POST /api/v1/consultations/:id/assignments',
  'POST /consultations/:id/accept': 'POST /api/v1/consultations/:id/accept',
  'POST /consultations/:id/decline': 'POST /api/v1/consultations/:id/decline',
  'POST /consultations/:id/activities': 'POST /api/v1/consultations/:id/activities',
  'POST /consultations/:id/close': 'POST /api/v1/consultations/:id/close',
  'POST /consultations/:id/withdraw': 'POST /api/v1/consultations/:id/withdraw',
  'POST /projects': 'POST /api/v1/projects',
  'POST /projects/:id': 'PUT /api/v1/projects/:id',
  'POST /projects/:id/evaluation': 'PUT /api/v1/projects/:id/evaluations',
  'POST /surveys/:id': 'POST /api/v1/surveys/:id/responses',
  'POST /admin/surveys': 'POST /api/v1/surveys',
  'POST /admin/survey-templates': 'POST /api/v1/survey-templates',
  'POST /admin/plans': 'POST /api/v1/plans',
  'POST /admin/plans/:id/edit': 'PUT /api/v1/plans/:id',
  'POST /admin/plans/:id/items': 'POST /api/v1/plans/:id/items',
  'POST /admin/plan-items/:id/edit': 'PUT /api/v1/plan-items/:id',
  'POST /admin/plan-items/:id/measures': 'POST /api/v1/plan-items/:id/measures',
  'POST /admin/plan-items/:id/measures/:measureId/edit': 'PUT /api/v1/plan-items/:id/measures/:measureId',
  'POST /admin/plan-items/:id/measures/:measureId/targets': 'PUT /api/v1/plan-items/:id/measures/:measureId/targets',
  'POST /admin/plan-measures/:id/schedule': 'PUT /api/v1/plan-measures/:id/schedule',
  'POST /admin/plan-items/:id/progress/:fy': 'PUT /api/v1/plan-items/:id/progress/:fy',
  'POST /admin/plan-items/:id/delete': 'DELETE /api/v1/plan-items/:id',
  'POST /admin/plan-items/:id/measures/:measureId/move': 'POST /api/v1/plan-items/:id/measures/:measureId/move',
  'POST /admin/plan-items/:id/measures/:measureId/remove': 'DELETE /api/v1/plan-items/:id/measures/:measureId',
  'POST /admin/plan-items/:id/measures/:measureId/targets/:targetId/delete': 'DELETE /api/v1/plan-items/:id/measures/:measureId/targets/:targetId',
  'POST /admin/imports': 'POST /api/v1/imports',
  'POST /admin/imports/:id/apply': 'POST /api/v1/imports/:id/apply',
  'POST /admin/imports/:id/discard': 'POST /api/v1/imports/:id/discard',
  'POST /my/applications/:id/assignment': 'POST /api/v1/applications/:id/assignment',
  'POST /admin/offerings/:id/nominate': 'POST /api/v1/offerings/:id/nominations',
  'POST /my/coordinator-profile': 'PUT /api/v1/me/coordinator-profile',
  'POST /partner/sessions/:id/messages': 'POST /api/v1/partner/sessions/:id/messages',
  'POST /admin/coordinator-desk': 'PUT /api/v1/coordinator-desk/:personId',
  'POST /admin/evaluation-criteria': 'POST /api/v1/evaluation-criteria',
  'POST /admin/evaluation-criteria/:id': 'PUT /api/v1/evaluation-criteria/:id',
  'POST /admin/surveys/:id/remind': 'POST /api/v1/surveys/:id/reminders',
  'POST /admin/survey-templates/:id': 'PUT /api/v1/survey-templates/:id',
  'POST /admin/reports/map/positions': 'PUT /api/v1/reports/map/positions',
};

/** Page routes with no API operation, by design, each with its reason. */
const byDesign: Record<string, string> = {
  'POST /setup': 'creates the first admin on a new installation, before anyone can hold an API token',
  'POST /login': 'a browser session; the API authenticates each request with a personal access token',
  'POST /logout': 'ends a browser session; a token is revoked instead',
  'POST /password/forgot': 'a person asks for their own reset mail in the browser; admins invite over the API',
  'POST /password/set/:token': 'set by the person from the link in their mail, never by a script',
  'POST /account/tokens': 'tokens are made by their owner in the browser, so that a token cannot make tokens',
  'POST /account/tokens/:id/revoke': 'revoked by the owner in the browser (a leaked token must not be able to keep itself alive)',
  'POST /login/second-factor': 'the second step of a browser sign-in (TOTP); the API authenticates each request with a token',
  'POST /login/second-factor/cancel': 'abandons a browser sign-in half-way; there is no such state over the API',
  'POST /account/second-factor': 'a person confirms their own authenticator app in the browser: a script must not be able to enrol a second factor for anyone',
  'POST /account/second-factor/new': 'starts enrolling one’s own authenticator app (shows a secret to scan) in the browser only',
  'POST /admin/offerings/:id/notices/issue': 'gives printed notices (受講決定通知) their official document numbers: done by the training office on the print view it has checked, never by a script',
  'POST /admin/offerings/:id/unit-notices/issue': 'gives the notices to units (所属長あて) their official document numbers: done on the print view it has checked, never by a script',
  'POST /my/calendar-feed': 'makes the secret URL a person gives their own calendar app; an API client reads the same schedule with its own token',
  'POST /account/second-factor/off': 'a person turns their own second factor off in the browser, proving it; a token must not be able to weaken sign-in',
};

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

describe('every page that changes data has its API operation (issue 20 §2)', () => {
  const pages = routes.filter((r) => !r.api && r.method !== 'GET').map(key);
  const apis = new Set(routes.filter((r) => r.api).map(key));

  it('lists each page route that changes data exactly once: with its API operation or a reason', () => {
    const unplaced = pages.filter((p) => [sameInApi[p], byDesign[p]].filter(Boolean).length !== 1);
    expect(unplaced).toEqual([]);
  });

  it('names only API operations that exist, and only page routes that exist', () => {
    expect(Object.entries(sameInApi).filter(([, a]) => !apis.has(a))).toEqual([]);
    const stale = [...Object.keys(sameInApi), ...Object.keys(byDesign)].filter((p) => !pages.includes(p));
    expect(stale).toEqual([]);
  });

  it('has every page that changes data in the API, except those listed with a reason', () => {
    expect(pages.filter((p) => !byDesign[p] && !sameInApi[p])).toEqual([]);
  });
});
