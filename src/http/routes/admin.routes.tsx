import { formatFiscalYear, formatTokyo, tokyoLocalToUtc, isIsoDate } from '../../domain/calendar.js';
import { auditEntities, listAudit } from '../../services/audit.service.js';
import { listOutbox } from '../../services/mail.service.js';
import { listProgrammes } from '../../services/sample-data.service.js';
import { pageParams } from '../forms.js';
import { page } from '../page.js';
import type { Router } from '../router.js';
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
    const [{ rows, total }, entities] = await Promise.all([listAudit(ctx, filter, { limit, offset }), auditEntities(ctx)]);
    const query = { entity: filter.entity, entityId: filter.entityId, action: filter.action, actor: q.actor || undefined, from, to };
    return page(
      c,
      t('audit.title'),
      <>
        <form method="get" action="/admin/audit" class="filters">
          <SelectField t={t} name="entity" plain label={t('field.entity')} value={filter.entity} blank="—" options={entities.map((e) => ({ value: e, label: e }))} />
          <TextField t={t} name="action" plain label={t('field.action')} value={filter.action} />
          <TextField t={t} name="from" plain type="date" label={t('field.from')} value={from} />
          <TextField t={t} name="to" plain type="date" label={t('field.to')} value={to} />
          {filter.entityId ? <input type="hidden" name="entityId" value={filter.entityId} /> : null}
          <button type="submit" class="button">{t('audit.filter')}</button>
        </form>
        <div class="table-wrap">
          <table class="data-table audit">
            <caption>{t('audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('field.actor')}</th>
                <th scope="col">{t('field.action')}</th>
                <th scope="col">{t('field.entity')}</th>
                <th scope="col">{t('audit.before')}</th>
                <th scope="col">{t('audit.after')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr>
                  <td><time datetime={e.at.toISOString()}>{formatTokyo(e.at, lang, 'datetime')}</time></td>
                  <td>{e.actor_name ?? '—'}</td>
                  <td>{e.action}</td>
                  <td>{e.entity}{e.entity_id ? ` #${e.entity_id}` : ''}</td>
                  <td><pre class="json">{e.before ? JSON.stringify(e.before, null, 1) : ''}</pre></td>
                  <td><pre class="json">{e.after ? JSON.stringify(e.after, null, 1) : ''}</pre></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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

  r.get('/admin/programmes', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const programmes = await listProgrammes(c.get('ctx'));
    const byId = new Map(programmes.map((p) => [p.id, p]));
    const period = (p: (typeof programmes)[number]) =>
      p.first_fiscal_year
        ? p.last_fiscal_year
          ? `${formatFiscalYear(p.first_fiscal_year, lang)} – ${formatFiscalYear(p.last_fiscal_year, lang)}`
          : t('programmes.fromYear', { fy: formatFiscalYear(p.first_fiscal_year, lang) })
        : '';
    return page(
      c,
      t('programmes.title'),
      <table class="data-table">
        <caption>{t('programmes.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('field.programme')}</th>
            <th scope="col">{t('programmes.period')}</th>
            <th scope="col">{t('programmes.owner')}</th>
            <th scope="col">{t('programmes.predecessor')}</th>
          </tr>
        </thead>
        <tbody>
          {programmes.map((p) => (
            <tr>
              <td>
                <strong>{lang === 'en' ? p.name_en : p.name}</strong>
                <p class="small">{p.description}</p>
              </td>
              <td>{period(p)}</td>
              <td>{p.owning_unit_name ?? ''}</td>
              <td>{p.predecessor_id ? (lang === 'en' ? byId.get(p.predecessor_id)?.name_en : byId.get(p.predecessor_id)?.name) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('programmes.title') }] },
    );
  });
}
