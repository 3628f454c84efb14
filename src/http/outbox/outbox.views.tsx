import { formatTokyo } from '../../domain/calendar.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { listOutbox } from '../../services/mail.service.js';
import { Pager, SelectField } from '../views/components.js';
import { MorePager } from '../views/more-pager.js';

type Mail = Awaited<ReturnType<typeof listOutbox>>['rows'][number];

/** The mail Kyodo has sent or will send, each in full, newest first. */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;

export function OutboxView(p: { t: Translate; lang: Lang; smtp: boolean; rows: readonly Mail[]; page: number; pages: number; total: number; more?: boolean; status?: string }) {
  const { t } = p;
  const query = { status: p.status };
  return (
    <>
      {p.smtp ? null : <p class="notice">{t('outbox.noSmtp')}</p>}
      <form method="get" action="/admin/outbox" class="filters">
        <SelectField t={t} name="status" plain label={t('common.status')} value={p.status} blank="—" options={OUTBOX_STATUSES.map((s) => ({ value: s, label: t(`outbox.status.${s}`) }))} />
        <button type="submit" class="button">{t('audit.filter')}</button>
      </form>
      {p.rows.length ? null : <p>{t('outbox.none')}</p>}
      {p.rows.map((m) => (
        <article class="mail">
          <h2>{m.subject}</h2>
          <dl class="meta">
            <dt>{t('outbox.to')}</dt>
            <dd>{m.to_address}</dd>
            <dt>{t('outbox.created')}</dt>
            <dd>{formatTokyo(m.created_at, p.lang, 'datetime')}</dd>
            <dt>{t('common.status')}</dt>
            <dd>{t(`outbox.status.${m.status}`)}{m.last_error ? ` (${m.last_error})` : ''}</dd>
            <dt>{t('outbox.attempts')}</dt>
            <dd>{m.attempts}</dd>
          </dl>
          <pre class="mail-body">{m.body_text}</pre>
        </article>
      ))}
      {p.more ? <MorePager t={t} page={p.page} label={t('outbox.pageMore', { page: p.page, total: p.total })} basePath="/admin/outbox" query={query} /> : <Pager t={t} page={p.page} pages={p.pages} total={p.total} basePath="/admin/outbox" query={query} />}
    </>
  );
}
