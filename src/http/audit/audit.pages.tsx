import { isIsoDate, tokyoLocalToUtc } from '../../domain/calendar.js';
import { auditActions, auditEntities, auditNames, listAudit } from '../../services/audit.service.js';
import { pageParams, pagesOf, toId } from '../forms.js';
import { page } from '../page.js';
import type { Router } from '../router.js';
import { describeEntry } from './audit-entry.js';
import { auditReferences } from './audit-words.js';
import { AuditView } from './audit.views.js';

// A real date only (2026-02-31 or year 0001 made the filter fail with a 500).
const isoDate = (v: string | undefined) => (v && isIsoDate(v) ? v : undefined);

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function registerAuditPages(r: Router) {
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
      actorId: toId(q.actor) || undefined,
      actorQ: q.actorQ?.slice(0, 100) || undefined,
      from: from ? tokyoLocalToUtc(from, '00:00') : undefined,
      to: to ? tokyoLocalToUtc(nextDay(to), '00:00') : undefined,
    };
    const { page: pageNo, limit, offset } = pageParams(c);
    const [{ rows, total, more }, entities, actions] = await Promise.all([listAudit(ctx, filter, { limit, offset }), auditEntities(ctx), auditActions(ctx)]);
    // Each entry in words: the record by the name its pages use (with a link), the action, and
    // what changed field by field (audit-entry.ts). Anonymous survey answers name nobody.
    const names = await auditNames(ctx, auditReferences(rows));
    const lines = rows.map((e) => ({ e, d: describeEntry(t, lang, e, names) }));
    const query = { entity: filter.entity, entityId: filter.entityId, action: filter.action, actor: filter.actorId ? String(filter.actorId) : undefined, actorQ: filter.actorQ, from, to };
    return page(
      c,
      t('audit.title'),
      <AuditView
        t={t}
        lang={lang}
        filter={{ entity: filter.entity, entityId: filter.entityId, action: filter.action, actor: query.actor, actorQ: filter.actorQ, from, to }}
        entities={entities}
        actions={actions}
        lines={lines}
        page={pageNo}
        pages={pagesOf(total, limit)}
        total={total}
        more={more}
        query={query}
      />,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('audit.title') }] },
    );
  });
}
