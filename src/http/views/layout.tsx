import type { Child } from 'hono/jsx';
import type { Lang, Translate } from '../../i18n/index.js';
import { type CurrentUser } from '../../services/context.js';
import { allows, type Access } from '../access.js';

export interface Crumb {
  label: string;
  href?: string;
}

export interface PageProps {
  t: Translate;
  lang: Lang;
  user: CurrentUser | null;
  csrf: string;
  title: string;
  path: string;
  crumbs?: Crumb[];
  notice?: string | null;
  children?: Child;
}

const NAV: { href: string; key: Parameters<Translate>[0]; access: Access; only?: boolean }[] = [
  { href: '/', key: 'nav.home', access: 'user' },
  { href: '/trainings', key: 'nav.trainings', access: 'user' },
  { href: '/my/trainings', key: 'nav.myTrainings', access: 'user' },
  { href: '/my/history', key: 'nav.history', access: 'user' },
  { href: '/surveys', key: 'nav.surveys', access: 'user' },
  { href: '/coordinators', key: 'nav.coordinators', access: ['staff', 'approver', 'coordinator'] },
  { href: '/consultations', key: 'nav.consultations', access: ['staff', 'approver', 'coordinator'] },
  { href: '/my/cases', key: 'nav.workspace', access: ['coordinator'], only: true },
  { href: '/projects', key: 'nav.projects', access: ['staff', 'approver', 'coordinator', 'partner'] },
  { href: '/partner', key: 'nav.myPartner', access: ['partner'], only: true },
  { href: '/approvals', key: 'nav.approvals', access: ['approver'] },
  { href: '/admin/offerings', key: 'nav.offerings', access: ['admin'] },
  { href: '/admin/partners', key: 'nav.partners', access: ['admin'] },
  { href: '/admin/surveys', key: 'nav.adminSurveys', access: ['admin'] },
  { href: '/admin/reports', key: 'nav.reports', access: ['admin'] },
  { href: '/admin/plans', key: 'nav.plan', access: ['admin'] },
  { href: '/admin/people', key: 'nav.people', access: ['admin'] },
  { href: '/admin/units', key: 'nav.units', access: ['admin'] },
  { href: '/admin/programmes', key: 'nav.programmes', access: ['admin'] },
  { href: '/admin/imports', key: 'nav.imports', access: ['admin'] },
  { href: '/admin/audit', key: 'nav.audit', access: ['admin'] },
  { href: '/admin/outbox', key: 'nav.outbox', access: ['admin'] },
  { href: '/account/second-factor', key: 'nav.secondFactor', access: 'user' },
  { href: '/account/tokens', key: 'nav.tokens', access: 'user' },
];

/** The <head> of every page: the title with the app's name, the icon, the design tokens and the app's own CSS (and script). */
export function DocumentHead(p: { t: Translate; title: string; script?: boolean }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${p.title} | ${p.t('app.name')}`}</title>
      <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/assets/tokens.css" />
      <link rel="stylesheet" href="/assets/app.css" />
      {p.script ? <script src="/assets/app.js" defer></script> : null}
    </head>
  );
}

export function Layout(p: PageProps) {
  const { t, user } = p;
  const other: Lang = p.lang === 'ja' ? 'en' : 'ja';
  // `only`: shown to holders of the role itself, not to admins (who have no organisation of their own).
  const items = NAV.filter((n) => (n.only ? Array.isArray(n.access) && n.access.some((r) => user?.roles.includes(r)) : allows(n.access, user?.roles ?? null)));
  return (
    <html lang={p.lang}>
      <DocumentHead t={t} title={p.title} script />
      <body>
        <a class="skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <header class="site-header">
          <div class="site-header__inner">
            <a class="site-title" href="/">
              {t('app.name')}
            </a>
            <div class="site-header__tools">
              <a href={`/lang/${other}?next=${encodeURIComponent(p.path)}`} lang={other} hreflang={other}>
                {t('lang.switch')}
              </a>
              {user ? (
                <form method="post" action="/logout" class="inline-form">
                  <input type="hidden" name="_csrf" value={p.csrf} />
                  <span class="user-name" title={user.name}>
                    {user.name}
                  </span>
                  <button type="submit" class="button button--small">
                    {t('nav.logout')}
                  </button>
                </form>
              ) : (
                <a href="/login">{t('nav.login')}</a>
              )}
            </div>
          </div>
          {user && items.length > 1 ? (
            <nav class="main-nav" aria-label={t('nav.main')}>
              {/* On a phone the menu folds into a <details> disclosure (it opens without JavaScript); on a wide
                  screen the stylesheet shows its content and hides the button (app.js also opens it there). */}
              <details class="main-nav__menu" data-wide-open>
                <summary class="main-nav__toggle">{t('phone.menu')}</summary>
                <ul>
                  {items.map((n) => (
                    <li>
                      <a href={n.href} aria-current={isCurrent(p.path, n.href) ? 'page' : undefined}>
                        {t(n.key)}
                      </a>
                    </li>
                  ))}
                </ul>
              </details>
            </nav>
          ) : null}
        </header>
        {p.crumbs?.length ? (
          <nav class="breadcrumbs" aria-label={t('nav.breadcrumb')}>
            <ol>
              {p.crumbs.map((c, i) => (
                <li>{c.href && i < p.crumbs!.length - 1 ? <a href={c.href}>{c.label}</a> : <span aria-current="page">{c.label}</span>}</li>
              ))}
            </ol>
          </nav>
        ) : null}
        <main id="main" tabindex={-1}>
          <h1>{p.title}</h1>
          {p.notice ? (
            <p class="notice" role="status">
              {p.notice}
            </p>
          ) : null}
          {p.children}
        </main>
        <footer class="site-footer">
          <p>{t('app.tagline')}</p>
          <p><a href="/accessibility">{t('accessibility.footerLink')}</a></p>
        </footer>
      </body>
    </html>
  );
}

function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}
