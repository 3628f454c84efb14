import { formatTokyo, tokyoLocalToUtc, isIsoDate } from '../../domain/calendar.js';
import { auditActions, auditEntities, auditNames, listAudit } from '../../services/audit.service.js';
import { listOutbox } from '../../services/mail.service.js';
import { pageParams } from '../forms.js';
import { page } from '../page.js';
import type { Router } from '../router.js';
import { actionWords, AuditEntryRow, auditReferences, describeEntry, entityWords } from '../views/audit-entry.js';
import { Pager, SelectField, TextField } from '../views/components.js';

// A real date only (2026-02-31 or year 0001 made the filter fail with a 500).
const isoDate = (v: string | undefined) => (v && isIsoDate(v) ? v : undefined);

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function registerAdmin(r: Router) {
  r.get('/admin/audit', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const q = c.req.query();
    const from = isoDate(q.from);
    const to = isoDate(q.to);
    const filter = {
      entity: q.entity?.slice(0, 50) || undefined,
      entityId: q.entityId?.slice(0, 50) || undefined,
      action: q.action?.slice(0, 50) || undefined,
      actorId: Number(q.actor) || undefined,
      from: from ? tokyoLocalToUtc(from, '00:00') : undefined,
      to: to ? tokyoLocalToUtc(nextDay(to), '00:00') : undefined,
    };
    const { page: pageNo, limit, offset } = pageParams(c);
    const [{ rows, total }, entities, actions] = await Promise.all([listAudit(ctx, filter, { limit, offset }), auditEntities(ctx), auditActions(ctx)]);
    // Each entry in words: the record by the name its pages use (with a link), the action, and
    // what changed field by field (views/audit-entry.tsx). Anonymous survey answers name nobody.
    const names = await auditNames(ctx, auditReferences(rows));
    const query = { entity: filter.entity, entityId: filter.entityId, action: filter.action, actor: q.actor || undefined, from, to };
    return page(
      c,
      t('audit.title'),
      <>
        <p>{t('audit.lead')}</p>
        <form method="get" action="/admin/audit" class="filters">
          <SelectField t={t} name="entity" plain label={t('field.entity')} value={filter.entity} blank={t('audit.allEntities')} options={entities.map((e) => ({ value: e, label: entityWords(t, e) }))} />
          <SelectField t={t} name="action" plain label={t('field.action')} value={filter.action} blank={t('audit.allActions')} options={actions.map((a) => ({ value: a, label: actionWords(t, a) }))} />
          <TextField t={t} name="from" plain type="date" label={t('field.from')} value={from} />
          <TextField t={t} name="to" plain type="date" label={t('field.to')} value={to} />
          {filter.entityId ? <input type="hidden" name="entityId" value={filter.entityId} /> : null}
          <button type="submit" class="button">{t('audit.filter')}</button>
        </form>
        {rows.length ? (
          <div class="table-wrap">
            <table class="data-table audit">
              <caption>{t('audit.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('audit.at')}</th>
                  <th scope="col">{t('field.actor')}</th>
                  <th scope="col">{t('field.action')}</th>
                  <th scope="col">{t('field.entity')}</th>
                  <th scope="col">{t('audit.changes')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <AuditEntryRow t={t} lang={lang} e={e} d={describeEntry(t, lang, e, names)} />
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>{t('audit.noEntries')}</p>
        )}
        <Pager t={t} page={pageNo} pages={Math.max(1, Math.ceil(total / limit))} total={total} basePath="/admin/audit" query={query} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('audit.title') }] },
    );
  });

  r.get('/admin/outbox', ['admin'], async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const { page: pageNo, limit, offset } = pageParams(c, 20);
    const { rows, total } = await listOutbox(ctx, limit, offset);
    return page(
      c,
      t('outbox.title'),
      <>
        {ctx.config.smtpUrl ? null : <p class="notice">{t('outbox.noSmtp')}</p>}
        {rows.map((m) => (
          <article class="mail">
            <h2>{m.subject}</h2>
            <dl class="meta">
              <dt>{t('outbox.to')}</dt>
              <dd>{m.to_address}</dd>
              <dt>{t('outbox.created')}</dt>
              <dd>{formatTokyo(m.created_at, c.get('lang'), 'datetime')}</dd>
              <dt>{t('common.status')}</dt>
              <dd>{t(`outbox.status.${m.status}`)}{m.last_error ? ` (${m.last_error})` : ''}</dd>
              <dt>{t('outbox.attempts')}</dt>
              <dd>{m.attempts}</dd>
            </dl>
            <pre class="mail-body">{m.body_text}</pre>
          </article>
        ))}
        <Pager t={t} page={pageNo} pages={Math.max(1, Math.ceil(total / limit))} total={total} basePath="/admin/outbox" query={{}} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('outbox.title') }] },
    );
  });
  // Programmes (研修事業) have their own page: programmes.routes.tsx.
}
