import type { Child } from 'hono/jsx';
import type { Lang, Translate } from '../../i18n/index.js';
import { DocumentHead } from './layout.js';

/**
 * The venue's check-in tablet: participants use it, so it has no menu, no account tools and no
 * breadcrumbs, only the language switch. The desk leaves through the link at the foot.
 */
export function KioskLayout(p: { t: Translate; lang: Lang; title: string; path: string; backHref: string; children?: Child }) {
  const { t } = p;
  const other: Lang = p.lang === 'ja' ? 'en' : 'ja';
  return (
    <html lang={p.lang}>
      <DocumentHead t={t} title={p.title} />
      <body class="kiosk-page">
        <header class="site-header">
          <div class="site-header__inner">
            <span class="site-title">{t('app.name')}</span>
            <div class="site-header__tools">
              <a href={`/lang/${other}?next=${encodeURIComponent(p.path)}`} lang={other} hreflang={other}>
                {t('lang.switch')}
              </a>
            </div>
          </div>
        </header>
        <main id="main" tabindex={-1}>
          <h1>{p.title}</h1>
          {p.children}
        </main>
        <footer class="site-footer">
          <p>
            <a href={p.backHref}>{t('kiosk.backToAttendance')}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
