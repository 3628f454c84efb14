import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { formatFiscalYear, formatTokyo, tokyoDateOf } from '../../domain/calendar.js';
import { formatPercent } from '../../domain/rounding.js';
import { COMPETENCIES, type Answers, fieldName, type QuestionSummary, responseRate, scalePoints, scaleRange, type ScaleSummary, type SurveyQuestion } from '../../domain/survey.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { listOfferings, sessionsOfOfferings } from '../../services/offering.service.js';
import { answerColumns, createSurvey, createTemplate, exchangeViews, getTemplate, impact, listSurveys, listTemplates, mySurveys, questionsToText, rawAnswers, remind, respond, respondentView, results, updateTemplate } from '../../services/survey.service.js';
import { sendTable } from '../export.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { BarChart } from '../views/charts.js';
import { CsrfField, Downloads, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { SURVEY_KINDS, type SurveyKind, IMPACT_GROUPINGS, type ImpactGrouping, TEMPLATE_PURPOSES } from '../../domain/values.js';

const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const keyCookie = (id: number) => `kyodo_sk_${id}`;
const qLabel = (q: { label: string; labelEn?: string }, lang: Lang) => (lang === 'en' && q.labelEn ? q.labelEn : q.label);

// --- Answering ----------------------------------------------------------------------------------

function QuestionField({ t, lang, q, value, errors, disabled }: { t: Translate; lang: Lang; q: SurveyQuestion; value: Answers[string] | undefined; errors: FieldErrors | null; disabled: boolean }) {
  const name = fieldName(q);
  const err = errors?.[name] ?? (q.rows ?? []).map((r) => errors?.[fieldName(q, r.id)]).find(Boolean);
  const badge = <span class={q.required ? 'badge badge--required' : 'badge'}>{t(q.required ? 'common.required' : 'common.optional')}</span>;
  const errorText = err ? (
    <p class="field-error" id={`f-${name}-error`}>
      {t(err.key, { ...(err.params ?? {}), field: String(err.params?.field ?? qLabel(q, lang)) })}
    </p>
  ) : null;
  const described = err ? `f-${name}-error` : undefined;
  const points = scalePoints(q, lang);
  if (q.type === 'text')
    return (
      <div class={`field survey-question${err ? ' field--error' : ''}`}>
        <label for={`f-${name}`}>
          {qLabel(q, lang)}
          {badge}
        </label>
        {errorText}
        <textarea id={`f-${name}`} name={name} rows={4} maxlength={4000} aria-describedby={described} disabled={disabled}>
          {typeof value === 'string' ? value : ''}
        </textarea>
      </div>
    );
  if (q.type === 'matrix') {
    const m = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, number>;
    return (
      <fieldset class={`survey-question${err ? ' field--error' : ''}`} aria-describedby={described}>
        <legend>
          {qLabel(q, lang)}
          {badge}
        </legend>
        {errorText}
        <table class="data-table matrix">
          <thead>
            <tr>
              <th scope="col">{t('survey.statement')}</th>
              {points.map((p) => (
                <th scope="col">
                  <span class="scale-value">
                    {p.value}
                    <span class="visually-hidden">{lang === 'en' ? ': ' : '：'}</span>
                  </span>
                  <span class="scale-words">{p.words}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(q.rows ?? []).map((r) => (
              <tr class={errors?.[fieldName(q, r.id)] ? 'field--error' : ''}>
                <th scope="row" id={`f-${fieldName(q, r.id)}-label`}>
                  {qLabel(r, lang)}
                </th>
                {points.map((p, i) => (
                  <td>
                    <input
                      type="radio"
                      id={i === 0 ? `f-${fieldName(q, r.id)}` : undefined}
                      name={fieldName(q, r.id)}
                      value={String(p.value)}
                      checked={m[r.id] === p.value}
                      disabled={disabled}
                      aria-label={`${qLabel(r, lang)} ${p.text}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
    );
  }
  // A scale shows every point with its words, highest first (5：そう思う), and sends the number they mean.
  const choices = q.type === 'scale5' ? points.map((p) => ({ value: String(p.value), text: p.text })) : (q.options ?? []).map((o) => ({ value: o, text: o }));
  const chosen = Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
  return (
    <fieldset class={`survey-question${err ? ' field--error' : ''}`} aria-describedby={described}>
      <legend>
        {qLabel(q, lang)}
        {badge}
      </legend>
      {errorText}
      <div class={q.type === 'scale5' ? 'scale-options' : 'stack'}>
        {choices.map((o, i) => (
          <label>
            <input type={q.type === 'multiple' ? 'checkbox' : 'radio'} id={i === 0 ? `f-${name}` : undefined} name={name} value={o.value} checked={chosen.includes(o.value)} disabled={disabled} /> {o.text}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function formAnswers(questions: SurveyQuestion[], form: FormBody): Answers {
  const out: Answers = {};
  for (const q of questions) {
    if (q.type === 'matrix') {
      const m: Record<string, number> = {};
      for (const r of q.rows ?? []) {
        const v = Number(str(form[fieldName(q, r.id)]));
        if (v) m[r.id] = v;
      }
      out[q.id] = m;
    } else {
      const v = form[fieldName(q)];
      if (Array.isArray(v)) out[q.id] = v;
      else if (typeof v === 'string') out[q.id] = q.type === 'scale5' ? Number(v) : v;
    }
  }
  return out;
}

// --- Results ------------------------------------------------------------------------------------

function SummaryView({ t, lang, q, s }: { t: Translate; lang: Lang; q: SurveyQuestion; s: QuestionSummary }) {
  const title = qLabel(q, lang);
  const people = (n: number) => t('survey.people', { count: n });
  // Every scale reads highest first, each point with its words, as the answer form shows it.
  const points = scalePoints(q, lang);
  if (s.kind === 'scale')
    return (
      <>
        <p>{t('survey.meanOf', { mean: s.mean === null ? '—' : s.mean.toFixed(2), count: s.n })}</p>
        <BarChart title={title} categoryHeader={t('survey.score')} valueHeader={t('survey.count')} bars={points.map((p) => ({ label: p.text, value: s.counts[p.value - 1], text: people(s.counts[p.value - 1]) }))} />
      </>
    );
  if (s.kind === 'choice')
    return <BarChart title={title} categoryHeader={t('survey.choice')} valueHeader={t('survey.count')} bars={s.options.map((o) => ({ label: o.label, value: o.count, text: people(o.count) }))} />;
  if (s.kind === 'matrix')
    return (
      <>
        <p class="hint">{t('survey.scaleMeaning', { range: scaleRange(q, lang) })}</p>
        <BarChart
          title={`${title}（${t('survey.mean')}）`}
          categoryHeader={t('survey.statement')}
          valueHeader={t('survey.mean')}
          max={5}
          decimals={2}
          bars={s.rows.map((r) => ({ label: qLabel(r, lang), value: r.mean ?? 0, text: r.mean === null ? '—' : `${r.mean.toFixed(2)}（${people(r.n)}）` }))}
        />
        <MatrixDistribution t={t} lang={lang} title={title} rows={s.rows} points={points} />
      </>
    );
  return (
    <>
      <p>{t('survey.textCount', { count: s.n })}</p>
      <ul class="free-text">
        {s.texts.map((x) => (
          <li>{x}</li>
        ))}
      </ul>
    </>
  );
}

/** How many chose each point, per row of a matrix: the points in the one order, highest first. */
function MatrixDistribution({ t, lang, title, rows, points }: { t: Translate; lang: Lang; title: string; rows: ({ id: string; label: string; labelEn?: string } & ScaleSummary)[]; points: ReturnType<typeof scalePoints> }) {
  return (
    <div class="table-wrap">
      <table class="data-table">
        <caption>{t('survey.distribution', { title })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('survey.statement')}</th>
            {points.map((p) => (
              <th scope="col">{p.text}</th>
            ))}
            <th scope="col">{t('survey.mean')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{qLabel(r, lang)}</th>
              {points.map((p) => (
                <td class="num">{t('survey.people', { count: r.counts[p.value - 1] })}</td>
              ))}
              <td class="num">{r.mean === null ? '—' : r.mean.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Results = NonNullable<Awaited<ReturnType<typeof results>>>;

function ResultsBody({ t, lang, r }: { t: Translate; lang: Lang; r: Results }) {
  // An anonymous survey: answers are written in batches, and shown only from the minimum on (decision 0018).
  const batches = r.survey.anonymous && r.waiting > 0 ? <p class="hint">{t('survey.waitingBatch', { written: r.written, waiting: r.waiting, min: r.minAnswers })}</p> : null;
  if (r.tooFew)
    return (
      <>
        <p class="notice" role="status">
          {t('survey.tooFew', { min: r.minAnswers })}
        </p>
        {batches}
      </>
    );
  return (
    <>
      {batches}
      {r.summaries.map(({ question, summary }) => (
        <section>
          <h3>{qLabel(question, lang)}</h3>
          <SummaryView t={t} lang={lang} q={question} s={summary} />
        </section>
      ))}
    </>
  );
}

// The rate with its one decimal place, rounded half up (domain/rounding.ts), like every percentage.
const rateText = (t: Translate, r: { responded: number; invited: number; rate: number | null }) =>
  t('survey.rate', { responded: r.responded, invited: r.invited, rate: r.rate === null ? '—' : formatPercent(r.rate).replace('%', '') });

export function registerSurveys(r: Router) {
  // --- Respondents: anyone asked -----------------------------------------------------------------
  r.get('/surveys', 'user', async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const rows = await mySurveys(c.get('ctx'), c.get('user')!);
    const now = c.get('ctx').now();
    return page(
      c,
      t('survey.mine'),
      rows.length ? (
        <table class="data-table">
          <caption>{t('survey.mine')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field.title')}</th>
              <th scope="col">{t('survey.closes')}</th>
              <th scope="col">{t('common.status')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => {
              const open = s.opens_at <= now && now < s.closes_at;
              return (
                <tr>
                  <td>{open ? <a href={`/surveys/${s.id}`}>{s.title}</a> : s.title}</td>
                  <td>{formatTokyo(s.closes_at, lang, 'datetime')}</td>
                  <td>{s.responded_on ? t('survey.answered') : open ? t('survey.notAnswered') : s.opens_at > now ? t('survey.notYetOpen') : t('survey.closed')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p>{t('survey.noneForYou')}</p>
      ),
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.mine') }], notice: c.req.query('notice') === 'answered' ? t('survey.thanks') : null },
    );
  });

  const answerPage = async (c: Ctx, id: number, errors: FieldErrors | null = null, values: FormBody | null = null, status: 200 | 409 | 422 = 200) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const v = await respondentView(c.get('ctx'), c.get('user')!, id, getCookie(c, keyCookie(id)));
    const s = v.survey;
    const answers = values ? formAnswers(s.questions, values) : (v.answers ?? {});
    const editable = v.open && v.canEdit;
    const notice = c.req.query('notice') === 'saved' ? t('survey.thanks') : null;
    return page(
      c,
      s.title,
      <>
        <ErrorSummary t={t} errors={errors} />
        <p>{t(s.anonymous ? 'survey.anonymousNote' : 'survey.namedNote')}</p>
        <p>{t('survey.closesAt', { when: formatTokyo(s.closes_at, lang, 'datetime') })}</p>
        {v.answered ? <p role="status">{v.canEdit ? t('survey.youAnsweredEditable') : t('survey.youAnsweredAnonymous')}</p> : null}
        {!v.open ? <p role="status">{t('error.surveyClosed')}</p> : null}
        {v.open && !v.canEdit ? null : (
          <form method="post" action={`/surveys/${id}`} novalidate>
            <CsrfField token={c.get('csrf')} />
            {s.questions.map((q) => (
              <QuestionField t={t} lang={lang} q={q} value={answers[q.id]} errors={errors} disabled={!editable} />
            ))}
            {editable ? (
              <button type="submit" class="button">
                {v.answered ? t('survey.update') : t('survey.submit')}
              </button>
            ) : null}
          </form>
        )}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.mine'), href: '/surveys' }, { label: s.title }], notice, status },
    );
  };
  r.get('/surveys/:id', 'user', (c) => answerPage(c, toId(c.req.param('id'))));
  r.post('/surveys/:id', 'user', async (c) => {
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(
      () => respond(c.get('ctx'), c.get('user')!, id, { answers: form, form: true, editKey: getCookie(c, keyCookie(id)), lang: c.get('lang') }),
      (errors, status) => answerPage(c, id, errors, form, status === 409 ? 409 : 422),
    );
    if (!res.ok) return res.response;
    if (res.value.editKey) {
      // The key to edit an anonymous answer stays in this browser only: never in a URL, a mail or a log.
      const s = await respondentView(c.get('ctx'), c.get('user')!, id);
      setCookie(c, keyCookie(id), res.value.editKey, {
        path: `/surveys/${id}`,
        httpOnly: true,
        sameSite: 'Lax',
        secure: c.get('ctx').config.secureCookies,
        expires: s.survey.closes_at,
      });
    } else deleteCookie(c, keyCookie(id), { path: `/surveys/${id}` });
    return c.redirect(`/surveys/${id}?notice=saved`, 303);
  });

  // --- Admin: surveys ----------------------------------------------------------------------------
  const kindOf = (v: string | undefined) => SURVEY_KINDS.find((k) => k === v);
  const listPage = async (c: Ctx, errors: FieldErrors | null = null, values: FormBody = {}) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const fy = toId(c.req.query('fy')) || undefined;
    const kind = kindOf(c.req.query('kind'));
    const offeringId = toId(c.req.query('offering')) || undefined;
    const [rows, templates, offerings] = await Promise.all([listSurveys(ctx, { fiscalYear: fy, kind, offeringId }), listTemplates(ctx), listOfferings(ctx, {})]);
    const sessions = await sessionsOfOfferings(
      ctx,
      offerings.map((o) => o.id),
    );
    const offeringTitle = new Map(offerings.map((o) => [o.id, o.title]));
    const now = ctx.now();
    const today = tokyoDateOf(now);
    return page(
      c,
      t('survey.title'),
      <>
        <p class="actions">
          <a class="button button--secondary" href="/admin/survey-templates">
            {t('survey.templates')}
          </a>{' '}
          <a class="button button--secondary" href="/admin/impact">
            {t('impact.title')}
          </a>
        </p>
        <form method="get" action="/admin/surveys" class="filters" role="search">
          <TextField t={t} plain name="fy" type="number" label={t('field.fiscalYear')} value={fy ? String(fy) : ''} />
          <SelectField t={t} plain name="kind" label={t('survey.kind')} value={kind} blank="—" options={SURVEY_KINDS.map((k) => ({ value: k, label: t(`surveyKind.${k}`) }))} />
          <button type="submit" class="button">
            {t('common.search')}
          </button>
        </form>
        {rows.length ? (
          <table class="data-table">
            <caption>{t('survey.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.title')}</th>
                <th scope="col">{t('survey.kind')}</th>
                <th scope="col">{t('survey.period')}</th>
                <th scope="col">{t('survey.responseRate')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr>
                  <td>
                    <a href={`/admin/surveys/${s.id}`}>{s.title}</a>
                    {s.anonymous ? `（${t('survey.anonymous')}）` : ''}
                  </td>
                  <td>{t(`surveyKind.${s.kind}`)}</td>
                  <td>
                    {formatTokyo(s.opens_at, lang, 'date')}〜{formatTokyo(s.closes_at, lang, 'date')}
                    {s.closes_at <= now ? `（${t('survey.closed')}）` : ''}
                  </td>
                  <td class="num">{rateText(t, { responded: Number(s.responded ?? 0), invited: Number(s.invited ?? 0), rate: responseRate(Number(s.responded ?? 0), Number(s.invited ?? 0)) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t('survey.none')}</p>
        )}
        <h2 id="new">{t('survey.new')}</h2>
        <ErrorSummary t={t} errors={errors} />
        <p class="hint">{t('survey.newHint')}</p>
        <form method="post" action="/admin/surveys" novalidate>
          <CsrfField token={c.get('csrf')} />
          <SelectField t={t} name="templateId" label={t('survey.template')} value={str(values.templateId)} errors={errors} required options={templates.map((x) => ({ value: x.id, label: x.name }))} />
          <SelectField t={t} name="kind" label={t('survey.kind')} value={str(values.kind) || 'pre'} errors={errors} required options={SURVEY_KINDS.map((k) => ({ value: k, label: t(`surveyKind.${k}`) }))} />
          <SelectField t={t} name="offeringId" label={t('field.offeringId')} value={str(values.offeringId) || (offeringId ? String(offeringId) : '')} errors={errors} blank="—" options={offerings.map((o) => ({ value: o.id, label: `${o.title}（${formatFiscalYear(o.fiscal_year, lang, 'wareki')}）` }))} />
          <SelectField t={t} name="sessionId" label={t('field.sessionId')} value={str(values.sessionId)} errors={errors} blank="—" options={sessions.map((s) => ({ value: s.id, label: `${offeringTitle.get(s.offering_id) ?? ''}：${s.title}（${formatTokyo(s.starts_at, lang, 'date')}）` }))} />
          <TextField t={t} name="title" label={t('field.title')} value={str(values.title)} errors={errors} maxlength={200} hint={t('survey.titleHint')} />
          <TextField t={t} name="opensAt" type="datetime-local" label={t('survey.opens')} value={str(values.opensAt) || `${today}T09:00`} errors={errors} required />
          <TextField t={t} name="closesAt" type="datetime-local" label={t('survey.closes')} value={str(values.closesAt)} errors={errors} required />
          <button type="submit" class="button">
            {t('survey.create')}
          </button>
        </form>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.title') }], status: errors ? 422 : 200 },
    );
  };
  r.get('/admin/surveys', ['admin'], (c) => listPage(c));
  r.post('/admin/surveys', ['admin'], async (c) => {
    const form = await readForm(c);
    const res = await submit(
      () => createSurvey(c.get('ctx'), c.get('user'), form),
      (errors) => listPage(c, errors, form),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/surveys/${res.value.id}?notice=created`, 303);
  });

  const resultsPage = async (c: Ctx, id: number, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const res = await results(c.get('ctx'), id);
    if (!res) return c.notFound();
    const s = res.survey;
    const open = s.opens_at <= c.get('ctx').now() && c.get('ctx').now() < s.closes_at;
    const n = c.req.query('notice');
    const notice = n === 'created' ? t('survey.created') : n === 'reminded' ? t('survey.reminded', { count: Number(c.req.query('count') ?? 0) }) : null;
    return page(
      c,
      s.title,
      <>
        <ErrorSummary t={t} errors={errors} />
        <dl class="meta">
          <dt>{t('survey.kind')}</dt>
          <dd>{t(`surveyKind.${s.kind}`)}</dd>
          <dt>{t('survey.period')}</dt>
          <dd>
            {formatTokyo(s.opens_at, lang, 'datetime')}〜{formatTokyo(s.closes_at, lang, 'datetime')}
          </dd>
          <dt>{t('survey.respondents')}</dt>
          <dd>{t(s.anonymous ? 'survey.anonymous' : 'survey.named')}</dd>
          <dt>{t('survey.responseRate')}</dt>
          <dd>
            <span role="status" id="survey-rate" data-live={`/api/v1/surveys/${id}/results`}>
              {rateText(t, res)}
            </span>
          </dd>
        </dl>
        <p class="actions">
          {open ? (
            <form method="post" action={`/admin/surveys/${id}/remind`} class="inline">
              <CsrfField token={c.get('csrf')} />
              <button type="submit" class="button button--secondary">
                {t('survey.remind')}
              </button>
            </form>
          ) : null}{' '}
          {s.session_id ? (
            <a class="button button--secondary" href={`/admin/sessions/${s.session_id}/views`}>
              {t('exchange.title')}
            </a>
          ) : null}
        </p>
        <h2>{t('survey.answersDownload')}</h2>
        <Downloads t={t} base={`/admin/surveys/${id}/answers`} />
        <h2>{t('survey.commentsDownload')}</h2>
        <Downloads t={t} base={`/admin/surveys/${id}/comments`} />
        <h2>{t('survey.resultsDownload')}</h2>
        <Downloads t={t} base={`/admin/surveys/${id}/results`} />
        <h2>{t('survey.results')}</h2>
        <ResultsBody t={t} lang={lang} r={res} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.title'), href: '/admin/surveys' }, { label: s.title }], notice, status: errors ? 409 : 200 },
    );
  };
  r.get('/admin/surveys/:id', ['admin'], (c) => resultsPage(c, toId(c.req.param('id'))));
  r.post('/admin/surveys/:id/remind', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const res = await submit(
      () => remind(c.get('ctx'), c.get('user'), id),
      (errors) => resultsPage(c, id, errors),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/surveys/${id}?notice=reminded&count=${res.value}`, 303);
  });
  for (const format of ['csv', 'xlsx'] as const) {
    r.get(`/admin/surveys/:id/answers.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const raw = await rawAnswers(c.get('ctx'), toId(c.req.param('id')));
      if (!raw) return c.notFound();
      type Row = (typeof raw.rows)[number];
      const who = raw.survey.anonymous
        ? []
        : [
            { header: '氏名', value: (r0: Row) => r0.respondent?.name ?? '' },
            { header: 'フリガナ', value: (r0: Row) => r0.respondent?.kana ?? '' },
            { header: '所属区分', value: (r0: Row) => (r0.respondent ? t(`affiliation.${r0.respondent.affiliation}` as never) : '') },
            { header: '所属', value: (r0: Row) => r0.respondent?.unit ?? '' },
          ];
      return sendTable(c, format, `survey-${raw.survey.id}-answers`, '回答', [
        ...who,
        // An anonymous answer has no day (decision 0011): the column is only for named surveys.
        ...(raw.survey.anonymous ? [] : [{ header: '回答日', value: (r0: Row) => r0.submittedOn ?? '' }]),
        ...answerColumns(raw.survey.questions).map((col) => ({ header: col.header, value: (r0: Row) => col.value(r0.answers) })),
      ], raw.rows);
    });
    r.get(`/admin/surveys/:id/comments.${format}`, ['admin'], async (c) => {
      const raw = await rawAnswers(c.get('ctx'), toId(c.req.param('id')));
      if (!raw) return c.notFound();
      const texts = raw.survey.questions.filter((q) => q.type === 'text');
      const rows = raw.rows.flatMap((r0) => texts.map((q) => ({ question: q.label, text: String(r0.answers[q.id] ?? ''), on: r0.submittedOn ?? '' }))).filter((x) => x.text);
      type Row = (typeof rows)[number];
      return sendTable(c, format, `survey-${raw.survey.id}-comments`, '自由記述', [
        { header: '設問', value: (x: Row) => x.question },
        { header: '回答', value: (x: Row) => x.text },
        ...(raw.survey.anonymous ? [] : [{ header: '回答日', value: (x: Row) => x.on }]),
      ], rows);
    });
  }

  // The figures of the results page as a table: one row per scale question (or matrix row), the
  // points in the one order, highest first, as the page shows them.
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/surveys/:id/results.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const lang = c.get('lang');
      const res = await results(c.get('ctx'), toId(c.req.param('id')));
      if (!res) return c.notFound();
      type Row = { question: string; item: string; scale: string; counts: number[]; n: number; mean: number | null };
      const rows: Row[] = res.summaries.flatMap(({ question: q, summary: s }): Row[] =>
        s.kind === 'scale'
          ? [{ question: qLabel(q, lang), item: '', scale: scaleRange(q, lang), counts: s.counts, n: s.n, mean: s.mean }]
          : s.kind === 'matrix'
            ? s.rows.map((row) => ({ question: qLabel(q, lang), item: qLabel(row, lang), scale: scaleRange(q, lang), counts: row.counts, n: row.n, mean: row.mean }))
            : [],
      );
      return sendTable(c, format, `survey-${res.survey.id}-results`, t('survey.results'), [
        { header: t('survey.question'), value: (x: Row) => x.question },
        { header: t('survey.statement'), value: (x: Row) => x.item },
        { header: t('survey.scale'), value: (x: Row) => x.scale },
        ...[5, 4, 3, 2, 1].map((v) => ({ header: String(v), value: (x: Row) => x.counts[v - 1] })),
        { header: t('survey.count'), value: (x: Row) => x.n },
        { header: t('survey.mean'), value: (x: Row) => x.mean ?? '' },
      ], rows);
    });

  // --- Admin: field training seen from both sides ------------------------------------------------
  r.get('/admin/sessions/:id/views', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const v = await exchangeViews(c.get('ctx'), toId(c.req.param('id')));
    if (!v) return c.notFound();
    const side = (title: string, res: Results | null): Child => (
      <section>
        <h2>{title}</h2>
        {res ? (
          <>
            <p>
              <a href={`/admin/surveys/${res.survey.id}`}>{res.survey.title}</a>：{rateText(t, res)}
            </p>
            <ResultsBody t={t} lang={lang} r={res} />
          </>
        ) : (
          <p>{t('exchange.noSurvey')}</p>
        )}
      </section>
    );
    return page(
      c,
      `${t('exchange.title')}：${v.session.title}`,
      <>
        <p>
          {formatTokyo(v.session.starts_at, lang, 'datetime')} {v.session.venue}
        </p>
        <div class="side-by-side">
          {side(t('exchange.participants'), v.participant)}
          {side(t('exchange.host'), v.host)}
        </div>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.title'), href: '/admin/surveys' }, { label: t('exchange.title') }] },
    );
  });

  // --- Admin: pre/post impact --------------------------------------------------------------------
  const impactFilters = (c: Ctx) => ({
    fiscalYear: toId(c.req.query('fy')) || undefined,
    offeringId: toId(c.req.query('offering')) || undefined,
    by: (IMPACT_GROUPINGS.find((g) => g === c.req.query('by')) ?? 'cohort') as ImpactGrouping,
  });
  const groupLabel = (t: Translate, by: ImpactGrouping, g: string) => (by === 'affiliation' ? t(`affiliation.${g}` as never) : g);
  r.get('/admin/impact', ['admin'], async (c) => {
    const t = c.get('t');
    const f = impactFilters(c);
    const data = await impact(c.get('ctx'), f);
    const overall = data.overall;
    const qs = new URLSearchParams(Object.entries({ fy: f.fiscalYear ? String(f.fiscalYear) : '', offering: f.offeringId ? String(f.offeringId) : '', by: f.by }).filter(([, v]) => v)).toString();
    return page(
      c,
      t('impact.title'),
      <>
        <p>{t('impact.lead')}</p>
        <form method="get" action="/admin/impact" class="filters" role="search">
          <TextField t={t} plain name="fy" type="number" label={t('field.fiscalYear')} value={f.fiscalYear ? String(f.fiscalYear) : ''} />
          <SelectField t={t} plain name="by" label={t('impact.by')} value={f.by} options={IMPACT_GROUPINGS.map((g) => ({ value: g, label: t(`impact.by.${g}`) }))} />
          <button type="submit" class="button">
            {t('common.search')}
          </button>
        </form>
        <p role="status">{t('impact.people', { count: data.people })}</p>
        <BarChart
          title={t('impact.meanChange')}
          categoryHeader={t('impact.competency')}
          valueHeader={t('impact.meanChange')}
          decimals={2}
          max={4}
          bars={overall.map((o) => ({ label: t(`competency.${o.item}` as never), value: o.meanChange ?? 0, text: o.meanChange === null ? '—' : `${o.meanChange >= 0 ? '+' : ''}${o.meanChange.toFixed(2)}（${o.meanPre?.toFixed(2)}→${o.meanPost?.toFixed(2)}）` }))}
        />
        <table class="data-table">
          <caption>{t('impact.tableCaption', { by: t(`impact.by.${f.by}`) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`impact.by.${f.by}`)}</th>
              <th scope="col">{t('impact.competency')}</th>
              <th scope="col">{t('impact.n')}</th>
              <th scope="col">{t('impact.pre')}</th>
              <th scope="col">{t('impact.post')}</th>
              <th scope="col">{t('impact.meanChange')}</th>
              <th scope="col">{t('impact.improved')}</th>
              <th scope="col">{t('impact.same')}</th>
              <th scope="col">{t('impact.declined')}</th>
            </tr>
          </thead>
          <tbody>
            {data.groups.flatMap((g) =>
              COMPETENCIES.map((item, k) => {
                const x = data.byGroup.find((b) => b.group === g && b.item === item)!;
                return (
                  <tr>
                    {k === 0 ? (
                      <th scope="rowgroup" rowspan={COMPETENCIES.length}>
                        {groupLabel(t, f.by, g)}
                      </th>
                    ) : null}
                    <td>{t(`competency.${item}`)}</td>
                    <td class="num">{x.n}</td>
                    <td class="num">{x.meanPre?.toFixed(2) ?? '—'}</td>
                    <td class="num">{x.meanPost?.toFixed(2) ?? '—'}</td>
                    <td class="num">{x.meanChange === null ? '—' : `${x.meanChange >= 0 ? '+' : ''}${x.meanChange.toFixed(2)}`}</td>
                    <td class="num">{x.improved}</td>
                    <td class="num">{x.same}</td>
                    <td class="num">{x.declined}</td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
        <Downloads t={t} base="/admin/impact" query={qs} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.title'), href: '/admin/surveys' }, { label: t('impact.title') }] },
    );
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/impact.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const f = impactFilters(c);
      const data = await impact(c.get('ctx'), f);
      type Row = (typeof data.byGroup)[number];
      return sendTable(c, format, `impact-${f.by}`, t('impact.title'), [
        { header: t(`impact.by.${f.by}`), value: (x: Row) => groupLabel(t, f.by, x.group) },
        { header: t('impact.competency'), value: (x: Row) => t(`competency.${x.item}` as never) },
        { header: t('impact.n'), value: (x: Row) => x.n },
        { header: t('impact.pre'), value: (x: Row) => x.meanPre ?? '' },
        { header: t('impact.post'), value: (x: Row) => x.meanPost ?? '' },
        { header: t('impact.meanChange'), value: (x: Row) => x.meanChange ?? '' },
        { header: t('impact.improved'), value: (x: Row) => x.improved },
        { header: t('impact.same'), value: (x: Row) => x.same },
        { header: t('impact.declined'), value: (x: Row) => x.declined },
        ...[-4, -3, -2, -1, 0, 1, 2, 3, 4].map((d) => ({ header: `${t('impact.change')}${d > 0 ? '+' : ''}${d}`, value: (x: Row) => x.distribution[d + 4] })),
      ], data.byGroup);
    });

  // --- Admin: templates -------------------------------------------------------------------------
  const templateForm = (c: Ctx, action: string, values: FormBody, errors: FieldErrors | null) => {
    const t = c.get('t');
    return (
      <form method="post" action={action} novalidate>
        <CsrfField token={c.get('csrf')} />
        <TextField t={t} name="name" label={t('field.name')} value={str(values.name)} errors={errors} required maxlength={200} />
        <SelectField t={t} name="purpose" label={t('survey.purpose')} value={str(values.purpose)} errors={errors} required options={TEMPLATE_PURPOSES.map((p) => ({ value: p, label: t(`surveyPurpose.${p}`) }))} />
        <div class="field">
          <label>
            <input type="checkbox" name="anonymous" value="on" checked={values.anonymous === 'on'} /> {t('survey.anonymousLabel')}
          </label>
        </div>
        <TextArea t={t} name="questions" label={t('survey.questions')} hint={t('survey.questionsHint')} value={str(values.questions)} errors={errors} required rows={14} />
        <button type="submit" class="button">
          {t('common.save')}
        </button>
      </form>
    );
  };
  r.get('/admin/survey-templates', ['admin'], async (c) => {
    const t = c.get('t');
    const rows = await listTemplates(c.get('ctx'));
    return page(
      c,
      t('survey.templates'),
      <>
        <p class="actions">
          <a class="button" href="/admin/survey-templates/new">
            {t('survey.newTemplate')}
          </a>
        </p>
        <table class="data-table">
          <caption>{t('survey.templates')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('survey.purpose')}</th>
              <th scope="col">{t('survey.respondents')}</th>
              <th scope="col">{t('survey.questionCount')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr>
                <td>
                  <a href={`/admin/survey-templates/${x.id}`}>{x.name}</a>
                  {x.builtin ? `（${t('survey.builtin')}）` : ''}
                </td>
                <td>{t(`surveyPurpose.${x.purpose}`)}</td>
                <td>{t(x.anonymous ? 'survey.anonymous' : 'survey.named')}</td>
                <td class="num">{x.questions.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.title'), href: '/admin/surveys' }, { label: t('survey.templates') }] },
    );
  });
  const templatePage = (c: Ctx, title: string, action: string, values: FormBody, errors: FieldErrors | null, notice: string | null = null) =>
    page(
      c,
      title,
      <>
        <ErrorSummary t={c.get('t')} errors={errors} />
        {templateForm(c, action, values, errors)}
      </>,
      { crumbs: [{ label: c.get('t')('nav.home'), href: '/' }, { label: c.get('t')('survey.templates'), href: '/admin/survey-templates' }, { label: title }], status: errors ? 422 : 200, notice },
    );
  r.get('/admin/survey-templates/new', ['admin'], (c) => templatePage(c, c.get('t')('survey.newTemplate'), '/admin/survey-templates', { purpose: 'general', questions: 'scale5:satisfaction*: 満足度を教えてください。 | scale=満足/やや満足/どちらともいえない/やや不満/不満\nscale5:useful*: 内容は業務に役立ちますか。\ntext:comments: ご意見をお書きください。' }, null));
  r.post('/admin/survey-templates', ['admin'], async (c) => {
    const form = await readForm(c);
    const res = await submit(
      () => createTemplate(c.get('ctx'), c.get('user'), form),
      (errors) => templatePage(c, c.get('t')('survey.newTemplate'), '/admin/survey-templates', form, errors),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/survey-templates/${res.value.id}?notice=saved`, 303);
  });
  r.get('/admin/survey-templates/:id', ['admin'], async (c) => {
    const x = await getTemplate(c.get('ctx'), toId(c.req.param('id')));
    if (!x) return c.notFound();
    return templatePage(c, x.name, `/admin/survey-templates/${x.id}`, { name: x.name, purpose: x.purpose, anonymous: x.anonymous ? 'on' : '', questions: questionsToText(x.questions) }, null, c.req.query('notice') === 'saved' ? c.get('t')('common.saved') : null);
  });
  r.post('/admin/survey-templates/:id', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(
      () => updateTemplate(c.get('ctx'), c.get('user'), id, form),
      (errors) => templatePage(c, c.get('t')('survey.templates'), `/admin/survey-templates/${id}`, form, errors),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/survey-templates/${id}?notice=saved`, 303);
  });
}

export type { SurveyKind };
