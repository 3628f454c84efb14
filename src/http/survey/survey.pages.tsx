import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { tokyoDateOf } from '../../domain/calendar.js';
import { SURVEY_KINDS } from '../../domain/values.js';
import type { FieldErrors } from '../../lib/validation.js';
import { listOfferings, sessionsOfOfferings } from '../../services/offering.service.js';
import { createSurvey, exchangeViews, listSurveys, listTemplates, mySurveys, rawAnswers, remind, respond, respondentView, results } from '../../services/survey.service.js';
import { sendTable } from '../export.js';
import { type FormBody, formAction, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { answersExport, commentsExport, resultsExport } from './presenter.js';
import { AnswerForm, formAnswers, MySurveys } from './survey-answer.views.js';
import { ExchangeView, SurveyResultsView } from './survey-results.views.js';
import { SurveyList } from './survey.views.js';

const keyCookie = (id: number) => `kyodo_sk_${id}`;

// --- Respondents: anyone asked -------------------------------------------------------------------

const answerPage = async (c: Ctx, id: number, errors: FieldErrors | null = null, values: FormBody | null = null, status: 200 | 409 | 422 = 200) => {
  const t = c.get('t');
  const v = await respondentView(c.get('ctx'), c.get('user')!, id, getCookie(c, keyCookie(id)));
  const answers = values ? formAnswers(v.survey.questions, values) : (v.answers ?? {});
  const notice = c.req.query('notice') === 'saved' ? t('survey.thanks') : null;
  return page(c, v.survey.title, <AnswerForm t={t} lang={c.get('lang')} csrf={c.get('csrf')} v={v} answers={answers} errors={errors} />, {
    crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.mine'), href: '/surveys' }, { label: v.survey.title }],
    notice,
    status,
  });
};

/** Answers a survey from the form; the key to edit an anonymous answer goes into a cookie of this browser. */
async function answer(c: Ctx, id: number, body: FormBody) {
  const res = await respond(c.get('ctx'), c.get('user')!, id, { answers: body, form: true, editKey: getCookie(c, keyCookie(id)), lang: c.get('lang') });
  if (res.editKey) {
    // The key to edit an anonymous answer stays in this browser only: never in a URL, a mail or a log.
    const s = await respondentView(c.get('ctx'), c.get('user')!, id);
    setCookie(c, keyCookie(id), res.editKey, {
      path: `/surveys/${id}`,
      httpOnly: true,
      sameSite: 'Lax',
      secure: c.get('ctx').config.secureCookies,
      expires: s.survey.closes_at,
    });
  } else deleteCookie(c, keyCookie(id), { path: `/surveys/${id}` });
  return res;
}

// --- Admins ---------------------------------------------------------------------------------------

const listPage = async (c: Ctx, errors: FieldErrors | null = null, values: FormBody = {}) => {
  const t = c.get('t');
  const ctx = c.get('ctx');
  const filters = { fy: toId(c.req.query('fy')) || undefined, kind: SURVEY_KINDS.find((k) => k === c.req.query('kind')), offeringId: toId(c.req.query('offering')) || undefined };
  const [rows, templates, offerings] = await Promise.all([listSurveys(ctx, { fiscalYear: filters.fy, kind: filters.kind, offeringId: filters.offeringId }), listTemplates(ctx), listOfferings(ctx, {})]);
  const sessions = await sessionsOfOfferings(
    ctx,
    offerings.map((o) => o.id),
  );
  const now = ctx.now();
  const d = { filters, rows, templates, offerings, sessions, now, today: tokyoDateOf(now) };
  return page(c, t('survey.title'), <SurveyList t={t} lang={c.get('lang')} csrf={c.get('csrf')} d={d} values={values} errors={errors} />, {
    crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.title') }],
    status: errors ? 422 : 200,
  });
};

const resultsPage = async (c: Ctx, id: number, errors: FieldErrors | null = null) => {
  const t = c.get('t');
  const res = await results(c.get('ctx'), id);
  if (!res) return c.notFound();
  const s = res.survey;
  const open = s.opens_at <= c.get('ctx').now() && c.get('ctx').now() < s.closes_at;
  const n = c.req.query('notice');
  const notice = n === 'created' ? t('survey.created') : n === 'reminded' ? t('survey.reminded', { count: Number(c.req.query('count') ?? 0) }) : null;
  return page(c, s.title, <SurveyResultsView t={t} lang={c.get('lang')} csrf={c.get('csrf')} res={res} open={open} errors={errors} />, {
    crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.title'), href: '/admin/surveys' }, { label: s.title }],
    notice,
    status: errors ? 409 : 200,
  });
};

export function registerSurveyPages(r: Router) {
  r.get('/surveys', 'user', async (c) => {
    const t = c.get('t');
    const rows = await mySurveys(c.get('ctx'), c.get('user')!);
    return page(c, t('survey.mine'), <MySurveys t={t} lang={c.get('lang')} rows={rows} now={c.get('ctx').now()} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.mine') }],
      notice: c.req.query('notice') === 'answered' ? t('survey.thanks') : null,
    });
  });
  r.get('/surveys/:id', 'user', (c) => answerPage(c, toId(c.req.param('id'))));
  r.post('/surveys/:id', 'user', (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (body) => answer(c, id, body),
      invalid: (body, errors, status) => answerPage(c, id, errors, body, status === 409 ? 409 : 422),
      done: () => `/surveys/${id}?notice=saved`,
    });
  });

  r.get('/admin/surveys', ['admin'], (c) => listPage(c));
  r.post('/admin/surveys', ['admin'], (c) =>
    formAction(c, {
      run: (body) => createSurvey(c.get('ctx'), c.get('user'), body),
      invalid: (body, errors) => listPage(c, errors, body),
      done: (s) => `/admin/surveys/${s.id}?notice=created`,
    }),
  );
  r.get('/admin/surveys/:id', ['admin'], (c) => resultsPage(c, toId(c.req.param('id'))));
  r.post('/admin/surveys/:id/remind', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: () => remind(c.get('ctx'), c.get('user'), id),
      invalid: (_body, errors) => resultsPage(c, id, errors),
      done: (n) => `/admin/surveys/${id}?notice=reminded&count=${n}`,
    });
  });

  for (const format of ['csv', 'xlsx'] as const) {
    r.get(`/admin/surveys/:id/answers.${format}`, ['admin'], async (c) => {
      const raw = await rawAnswers(c.get('ctx'), toId(c.req.param('id')));
      if (!raw) return c.notFound();
      const { columns, rows } = answersExport(c.get('t'), raw);
      return sendTable(c, format, `survey-${raw.survey.id}-answers`, '回答', columns, rows);
    });
    r.get(`/admin/surveys/:id/comments.${format}`, ['admin'], async (c) => {
      const raw = await rawAnswers(c.get('ctx'), toId(c.req.param('id')));
      if (!raw) return c.notFound();
      const { columns, rows } = commentsExport(raw);
      return sendTable(c, format, `survey-${raw.survey.id}-comments`, '自由記述', columns, rows);
    });
    r.get(`/admin/surveys/:id/results.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const res = await results(c.get('ctx'), toId(c.req.param('id')));
      if (!res) return c.notFound();
      const { columns, rows } = resultsExport(t, c.get('lang'), res);
      return sendTable(c, format, `survey-${res.survey.id}-results`, t('survey.results'), columns, rows);
    });
  }

  // A field training seen from both sides.
  r.get('/admin/sessions/:id/views', ['admin'], async (c) => {
    const t = c.get('t');
    const v = await exchangeViews(c.get('ctx'), toId(c.req.param('id')));
    if (!v) return c.notFound();
    return page(c, `${t('exchange.title')}：${v.session.title}`, <ExchangeView t={t} lang={c.get('lang')} v={v} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.title'), href: '/admin/surveys' }, { label: t('exchange.title') }],
    });
  });
}
