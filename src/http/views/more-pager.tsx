import type { Translate } from '../../i18n/index.js';

/**
 * Paging for a list counted only so far (the audit log, the outbox: they grow by every change for
 * years, and counting them whole on every view would cost more than the page): previous and next, and
 * the page number with "more than N" in `label`. Works without JavaScript.
 */
export function MorePager(p: { t: Translate; page: number; label: string; basePath: string; query: Record<string, string | undefined> }) {
  const link = (page: number) => `${p.basePath}?${new URLSearchParams(Object.entries({ ...p.query, page: String(page) }).filter((e): e is [string, string] => !!e[1])).toString()}`;
  return (
    <nav class="pager" aria-label={p.label}>
      {p.page > 1 ? (
        <a href={link(p.page - 1)} rel="prev">
          {p.t('common.previous')}
        </a>
      ) : null}
      <span>{p.label}</span>
      <a href={link(p.page + 1)} rel="next">
        {p.t('common.next')}
      </a>
    </nav>
  );
}
