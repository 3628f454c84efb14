import { formatTokyo } from '../../domain/calendar.js';
import { answerSheet } from '../../domain/application-policy.js';
import { APPLICATION_STATUSES } from '../../domain/selection.js';
import type { Offering } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { decisionPreview, listApplications } from '../../services/application.service.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, CsrfField, DataTable, Downloads, ErrorSummary, Pager, SelectField, TextField } from '../views/components.js';
import { answersOf, OfferingFacts, QuestionFields } from '../views/offering-facts.js';
import type { ProxyState } from './proxy.pages.js';
import { ProxySection } from './proxy.views.js';

type Lang = 'ja' | 'en';
type Application = Awaited<ReturnType<typeof listApplications>>[number];
type Unit = { id: number; name: string; depth: number };

/** The office's page of an offering's applicants: filters, decisions, the lottery, 代理申込 and 所属推薦. */
export function Applicants(p: {
  t: Translate;
  lang: Lang;
  csrf: string;
  o: Offering;
  /** Applications by status (all of the offering's, whatever the filter). */
  counts: Record<string, number>;
  /** The live application's status of each person the proxy search found. */
  applied: Map<number, string>;
  rows: readonly Application[];
  /** The page shown: sort, direction, page and the number of applicants the filter matches. */
  list: { sort: string; dir: 'asc' | 'desc'; page: number; pages: number; total: number };
  units: Unit[];
  statusFilter: string | undefined;
  unitId: number | undefined;
  qs: string;
  errors: FieldErrors | null;
  values: FormBody;
  proxy: ProxyState;
}) {
  const { t, lang, o, errors, values } = p;
  const id = o.id;
  const count = (s: string) => p.counts[s] ?? 0;
  const query = { status: p.statusFilter, unit: p.unitId ? String(p.unitId) : undefined };
  const unitOptions = p.units.map((u) => ({ value: u.id, label: `${'　'.repeat(u.depth)}${u.name}` }));
  return (
    <>
      <OfferingFacts t={t} lang={lang} o={o} />
      <p role="status">{t('offerings.counts', { confirmed: count('confirmed'), capacity: o.capacity, waitlisted: count('waitlisted'), pending: count('applied') + count('endorsed') })}</p>
      <ErrorSummary t={t} errors={errors} />
      <form method="get" action={`/admin/offerings/${id}/applications`} class="filters">
        <SelectField t={t} plain name="status" label={t('common.status')} value={p.statusFilter} blank="—" options={APPLICATION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
        <SelectField t={t} plain name="unit" label={t('field.unit')} value={p.unitId} blank="—" options={unitOptions} />
        <button type="submit" class="button">{t('trainings.filter')}</button>
      </form>
      <form method="post" action={`/admin/offerings/${id}/decisions`}>
        <CsrfField token={p.csrf} />
        <DataTable
          t={t}
          caption={t('offerings.applications')}
          rows={p.rows}
          basePath={`/admin/offerings/${id}/applications`}
          query={query}
          sort={p.list.sort}
          dir={p.list.dir}
          columns={[
            { key: 'select', label: t('offerings.select'), cell: (a) => <input type="checkbox" name="applicationIds" value={String(a.id)} id={`app-${a.id}`} aria-label={`${t('offerings.select')}：${a.person_name}`} /> },
            {
              key: 'kana',
              label: t('field.name'),
              sortable: true,
              cell: (a) => (
                <>
                  <label for={`app-${a.id}`}>{a.person_name}</label>
                  <br />
                  <span class="kana">{a.person_kana}</span>
                  <br />
                  <a class="small" href={`/my/applications/${a.id}`} aria-label={`${t('applications.detail')}：${a.person_name}`}>
                    {t('applications.detail')}
                  </a>
                </>
              ),
            },
            { key: 'unit', label: t('field.unit'), cell: (a) => a.unit_name ?? '' },
            { key: 'affiliation', label: t('field.affiliation'), cell: (a) => t(`seatGroup.${a.seat_group}`) },
            {
              key: 'status',
              label: t('common.status'),
              sortable: true,
              cell: (a) => (
                <>
                  {t(`status.${a.status}`)}
                  {a.waitlist_position ? ` (${a.waitlist_position})` : ''}
                  {a.lottery_rank ? ` #${a.lottery_rank}` : ''}
                  {a.status === 'cancelled' && a.cancel_reason ? (
                    <>
                      <br />
                      <span class="small">{`${t('trainings.cancelReason')}：${a.cancel_reason}`}</span>
                    </>
                  ) : null}
                </>
              ),
            },
            { key: 'appliedAt', label: t('approvals.appliedAt'), sortable: true, cell: (a) => formatTokyo(a.applied_at, lang, 'datetime') },
            ...o.questions.map((q, i) => ({
              key: `q-${q.id}`,
              label: q.label,
              cell: (a: Application) => <span class="answer">{answerSheet(o.questions, a.answers)[i]?.answer || (a.answers_pending ? t('applications.answersPending') : '')}</span>,
            })),
          ]}
        />
        <Pager t={t} page={p.list.page} pages={p.list.pages} total={p.list.total} basePath={`/admin/offerings/${id}/applications`} query={{ ...query, sort: p.list.sort, dir: p.list.dir }} />
        <div class="filters">
          <SelectField t={t} name="decision" label={t('offerings.decide')} value="confirmed" required options={(['confirmed', 'waitlisted', 'not_selected'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))} />
          <button type="submit" class="button">{t('offerings.decideSubmit')}</button>
        </div>
      </form>
      <Downloads t={t} base={`/admin/offerings/${id}/applications`} query={p.qs} />
      {o.selection === 'lottery' ? (
        <section>
          <h2>{t('offerings.lottery')}</h2>
          {o.lottery_seed ? (
            <p>{t('offerings.lotteryDone', { seed: o.lottery_seed, at: o.lottery_at ? formatTokyo(o.lottery_at, lang, 'datetime') : '' })}</p>
          ) : (
            // Drawing asks first (how many applicants, how many seats) on its own page.
            <form method="get" action={`/admin/offerings/${id}/lottery`}>
              <button type="submit" class="button">
                {t('offerings.lotteryGo')}
              </button>
            </form>
          )}
        </section>
      ) : null}
      <ProxySection t={t} csrf={p.csrf} o={o} proxy={p.proxy} applied={p.applied} values={values} errors={errors} />
      <section>
        <h2>{t('offerings.nominate')}</h2>
        <form method="post" action={`/admin/offerings/${id}/nominate`}>
          <CsrfField token={p.csrf} />
          <SelectField t={t} name="unitId" label={t('field.unit')} errors={errors} required options={unitOptions} />
          <button type="submit" class="button button--secondary">{t('offerings.nominateSubmit')}</button>
        </form>
      </section>
    </>
  );
}

/** 選考 decisions mail each person decided on: a confirmation page lists them and says how many first. */
export function DecisionsConfirm({ t, csrf, o, p, errors }: { t: Translate; csrf: string; o: Offering; p: Awaited<ReturnType<typeof decisionPreview>>; errors: FieldErrors | null }) {
  const to = t(`status.${p.decision}`);
  return (
    <>
      <p>{t('applications.decideLead', { count: p.changing, status: to, offering: o.title })}</p>
      <DataTable
        t={t}
        caption={t('applications.decideCaption', { count: p.rows.length })}
        rows={p.rows}
        columns={[
          { key: 'name', label: t('field.name'), cell: (a) => a.person_name },
          { key: 'unit', label: t('field.unit'), cell: (a) => a.unit_name ?? '' },
          { key: 'from', label: t('applications.decideFrom'), cell: (a) => t(`status.${a.status}`) },
          { key: 'to', label: t('applications.decideTo'), cell: (a) => (a.status === p.decision ? t('applications.decideUnchanged') : to) },
        ]}
      />
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={`/admin/offerings/${o.id}/decisions`} novalidate>
        <CsrfField token={csrf} />
        {p.rows.map((a) => (
          <input type="hidden" name="applicationIds" value={String(a.id)} />
        ))}
        <input type="hidden" name="decision" value={p.decision} />
        <input type="hidden" name="confirmStep" value="1" />
        <CheckboxGroup t={t} name="confirmDecision" label={t('field.confirmDecision')} values={[]} errors={errors} options={[{ value: 'yes', label: t('applications.decideConfirmLabel', { count: p.changing, status: to }) }]} />
        <div class="actions">
          <button type="submit" class="button">{t('applications.decideConfirm', { count: p.changing, status: to })}</button>{' '}
          <a class="button button--secondary" href={`/admin/offerings/${o.id}/applications`}>{t('common.back')}</a>
        </div>
      </form>
    </>
  );
}

/** 所属推薦 applies for (and mails) a whole unit: a confirmation page says how many first. */
export function NominateConfirm(p: { t: Translate; csrf: string; o: Offering; unitId: string; unitName: string; preview: { count: number; skipped: number; answersPending: boolean }; errors: FieldErrors | null }) {
  const { t, o, preview } = p;
  const back = `/admin/offerings/${o.id}/applications`;
  if (!preview.count)
    return (
      <p>
        {t('applications.nominateNone', { unit: p.unitName })} <a href={back}>{t('common.back')}</a>
      </p>
    );
  return (
    <>
      <p>{t('applications.nominateLead', { unit: p.unitName, count: preview.count, offering: o.title })}</p>
      <ul>
        {preview.skipped ? <li>{t('applications.nominateSkipped', { skipped: preview.skipped })}</li> : null}
        {preview.answersPending ? <li>{t('applications.nominatePending')}</li> : null}
      </ul>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={`/admin/offerings/${o.id}/nominate`} novalidate>
        <CsrfField token={p.csrf} />
        <input type="hidden" name="unitId" value={p.unitId} />
        <input type="hidden" name="confirmStep" value="1" />
        <CheckboxGroup t={t} name="confirmNominate" label={t('field.confirmNominate')} values={[]} errors={p.errors} options={[{ value: 'yes', label: t('applications.nominateConfirmLabel', { count: preview.count }) }]} />
        <div class="actions">
          <button type="submit" class="button">{t('applications.nominateConfirm', { count: preview.count })}</button> <a class="button button--secondary" href={back}>{t('common.back')}</a>
        </div>
      </form>
    </>
  );
}
