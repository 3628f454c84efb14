import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { MessageKey } from '../../i18n/index.js';
import type { AppEnv } from '../env.js';
import { Layout } from './layout.js';

const TEXTS: Record<number, [MessageKey, MessageKey]> = {
  403: ['forbidden.title', 'error.forbidden'],
  404: ['notFound.title', 'error.notFound'],
  500: ['error.title', 'error.server'],
  503: ['unavailable.title', 'error.unavailable'],
};

/** A plain page for an error status, in the user's language. */
export function renderStatusPage(c: Context<AppEnv>, status: ContentfulStatusCode, detail?: string) {
  const t = c.get('t');
  const [title, message] = TEXTS[status] ?? ['error.title', 'error.badRequest'];
  return c.html(
    <Layout t={t} lang={c.get('lang')} user={status === 503 ? null : c.get('user')} csrf={c.get('csrf') ?? ''} title={t(title)} path={c.req.path}>
      <p>{detail ?? t(message)}</p>
      <p>
        <a href="/">{t('nav.home')}</a>
      </p>
    </Layout>,
    status,
  );
}
