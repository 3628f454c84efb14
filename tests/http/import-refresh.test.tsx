import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { ImportRunningView } from '../../src/http/import/import-job.views.js';

/** A running import's page reloads itself, and its first link turns that off (JIS X 8341-3 / WCAG 2.2.1). */
describe('the running import page', () => {
  const t = translator('ja');
  const html = (refresh: number | null) => String(<ImportRunningView t={t} id={7} filename="職員.xlsx" processed={1200} total={5000} refresh={refresh} />);

  it('refreshes itself and offers to stop first', () => {
    const page = html(3);
    expect(page).toContain('<meta http-equiv="refresh" content="3"/>');
    expect(page.indexOf('/admin/imports/7?refresh=off')).toBeLessThan(page.indexOf('<progress'));
    expect(page).toContain('このページは3秒ごとに自動で更新されます。自動更新を止める');
    expect(page).toContain('1,200');
  });

  it('once stopped, stays still and offers to resume or update by hand', () => {
    const page = html(null);
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).toContain('自動更新を再開する');
    expect(page).toContain('href="/admin/imports/7?refresh=off">最新の状態を表示する');
  });
});
