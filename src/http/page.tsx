import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './env.js';
import { type Crumb, Layout } from './views/layout.js';

/** Renders a page in the layout with the request's language, user and CSRF token. */
export function page(
  c: Context<AppEnv>,
  title: string,
  body: Child,
  opts: { crumbs?: Crumb[]; status?: ContentfulStatusCode; notice?: string | null } = {},
) {
  return c.html(
    <Layout
      t={c.get('t')}
      lang={c.get('lang')}
      user={c.get('user')}
      csrf={c.get('csrf')}
      title={title}
      path={c.req.path}
      crumbs={opts.crumbs}
      notice={opts.notice}
    >
      {body}
    </Layout>,
    opts.status ?? 200,
  );
}

/** A notice passed through a redirect as ?notice=key (only known keys are shown). */
export function noticeFrom(c: Context<AppEnv>): string | null {
  const key = c.req.query('notice');
  const allowed = ['common.saved', 'people.invited', 'logout.done', 'setup.ssoNext', 'password.setDone', 'password.forgotSent', 'imports.discarded'] as const;
  return key && (allowed as readonly string[]).includes(key) ? c.get('t')(key as (typeof allowed)[number]) : null;
}

/**
 * Only same-site relative paths are followed after login or a language switch. Control characters
 * are percent-encoded: a raw line break in the Location header made the redirect itself fail (500).
 */
export function safeNext(next: string | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next.replace(/[\u0000-\u001f\u007f]/g, (ch) => encodeURIComponent(ch));
}
