import { listOutbox } from '../../services/mail.service.js';
import { pageParams } from '../forms.js';
import { page } from '../page.js';
import type { Router } from '../router.js';
import { OutboxView } from './outbox.views.js';

export function registerOutboxPages(r: Router) {
  r.get('/admin/outbox', ['admin'], async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const { page: pageNo, limit, offset } = pageParams(c, 20);
    const { rows, total } = await listOutbox(ctx, limit, offset);
    return page(c, t('outbox.title'), <OutboxView t={t} lang={c.get('lang')} smtp={!!ctx.config.smtpUrl} rows={rows} page={pageNo} pages={Math.max(1, Math.ceil(total / limit))} total={total} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('outbox.title') }],
    });
  });
}
