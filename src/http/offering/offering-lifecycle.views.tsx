import { formatTokyo } from '../../domain/calendar.js';
import type { Offering } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { ServiceError } from '../../services/context.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, CsrfField, ErrorSummary, TextArea } from '../views/components.js';
import { OfferingEnd, str } from './offering.views.js';

type Lang = 'ja' | 'en';
export const confirmed = (body: FormBody) => body.confirm === 'on' || body.confirm === 'yes';

/** 中止: how many applicants will be told, the reason, a required confirmation. */
export function CancelOffering(p: { t: Translate; lang: Lang; csrf: string; offering: Offering; applicants: number; values: FormBody; errors: FieldErrors | null }) {
  const { t, offering: o } = p;
  if (o.cancelled_at) return <OfferingEnd t={t} lang={p.lang} o={o} />;
  return (
    <>
      <p>{t('offerings.cancelLead', { count: p.applicants })}</p>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={`/admin/offerings/${o.id}/cancel`} novalidate>
        <CsrfField token={p.csrf} />
        <TextArea t={t} name="reason" label={t('field.reason')} value={str(p.values.reason)} errors={p.errors} required maxlength={1000} rows={3} />
        <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={confirmed(p.values) ? ['on'] : []} errors={p.errors} options={[{ value: 'on', label: t('offerings.cancelConfirmLabel', { count: p.applicants }) }]} />
        <button type="submit" class="button button--danger">
          {t('offerings.cancelSubmit', { count: p.applicants })}
        </button>
      </form>
    </>
  );
}

/** Deleting: only an offering nobody applied to; otherwise the page points to 中止. */
export function DeleteOffering(p: { t: Translate; csrf: string; offering: Offering; applications: number; sessions: number; errors: FieldErrors | null }) {
  const { t, offering: o } = p;
  if (p.applications > 0)
    return (
      <>
        <p class="notice" role="status">
          {t('offerings.deleteHasApplications', { count: p.applications })}
        </p>
        {o.cancelled_at ? null : (
          <p class="actions">
            <a class="button button--danger" href={`/admin/offerings/${o.id}/cancel`}>
              {t('offerings.cancel')}
            </a>
          </p>
        )}
      </>
    );
  return (
    <>
      <p>{t('offerings.deleteLead', { sessions: p.sessions })}</p>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={`/admin/offerings/${o.id}/delete`} novalidate>
        <CsrfField token={p.csrf} />
        <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={[]} errors={p.errors} options={[{ value: 'on', label: t('offerings.deleteConfirmLabel') }]} />
        <button type="submit" class="button button--danger">
          {t('offerings.delete')}
        </button>
      </form>
    </>
  );
}

/** 抽選: how many applicants, how many seats; before the deadline, why it cannot run yet (a notice, not a field error). */
export function Lottery(p: { t: Translate; csrf: string; offering: Offering; why: string | null; counts: { applicants: number; seats: number; capacity: number; confirmed: number }; errors: FieldErrors | null }) {
  const { t, offering: o, counts } = p;
  return (
    <>
      <p>{t('offerings.lotteryConfirmLead', counts)}</p>
      {o.priority_rules.length ? <p>{t('offerings.lotteryPriority', { rules: o.priority_rules.map((r) => t(`priority.${r}`)).join('、') })}</p> : null}
      {p.why ? (
        <p class="notice" role="status">
          {p.why}
        </p>
      ) : (
        <>
          <ErrorSummary t={t} errors={p.errors} />
          <form method="post" action={`/admin/offerings/${o.id}/lottery`} novalidate>
            <CsrfField token={p.csrf} />
            <p class="hint">{t('offerings.lotterySeedByServer')}</p>
            <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={[]} errors={p.errors} options={[{ value: 'on', label: t('offerings.lotteryConfirmLabel', counts) }]} />
            <button type="submit" class="button">
              {t('offerings.lotteryConfirmSubmit', counts)}
            </button>
          </form>
        </>
      )}
      <p>
        <a href={`/admin/offerings/${o.id}/applications`}>{t('offerings.applications')}</a>
      </p>
    </>
  );
}

/** Why a lottery cannot run (yet), in words; null when it can. */
export function lotteryRefusalText(t: Translate, lang: Lang, o: Offering, refusal: ServiceError | null | undefined): string | null {
  if (refusal?.code === 'lottery_open') return t('offerings.lotteryOpen', { closes: formatTokyo(o.application_closes_at, lang, 'datetime') });
  if (refusal?.code === 'lottery_done') return t('offerings.lotteryDone', { seed: o.lottery_seed ?? '', at: o.lottery_at ? formatTokyo(o.lottery_at, lang, 'datetime') : '' });
  return refusal ? t(refusal.messageKey, refusal.params) : null;
}

/** After the draw (the result is the page's notice): the way to the applicants. */
export function LotteryDrawn({ t, offeringId }: { t: Translate; offeringId: number }) {
  return (
    <p>
      <a class="button" href={`/admin/offerings/${offeringId}/applications`}>
        {t('offerings.applications')}
      </a>
    </p>
  );
}
