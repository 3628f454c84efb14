import { listOutbox } from '../../services/mail.service.js';
import { pageParams, pagesOf } from '../forms.js';
import { page } from '../page.js';
import type { Router } from '../router.js';
import { OUTBOX_STATUSES, OutboxView } from './outbox.views.js';

export function registerOutboxPages(r: Router) {
  r.get('/admin/outbox', ['admin'], async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const { page: pageNo, limit, offset } = pageParams(c, 20);
    const status = OUTBOX_STATUSES.find((s) => s === c.req.query('status'));
    const { rows, total, more } = await listOutbox(ctx, limit, offset, { status });
    return page(c, t('outbox.title'), <OutboxView t={t} lang={c.get('lang')} smtp={!!ctx.config.smtpUrl} rows={rows} page={pageNo} pages={pagesOf(total, limit)} total={total} more={more} status={status} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('outbox.title') }],
    });
  });
}
