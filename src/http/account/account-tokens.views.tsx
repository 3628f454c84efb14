import { formatTokyo } from '../../domain/calendar.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { listApiTokens } from '../../services/api-token.service.js';
import { CsrfField, DataTable, ErrorSummary, SelectField, TextField } from '../views/components.js';

type TokenRow = Awaited<ReturnType<typeof listApiTokens>>[number];
export type CreatedToken = { token: string; scope: 'read' | 'write'; expiresAt: Date };

/** Personal access tokens: the one just made (shown once), the form to make one, and the list. */
export function TokensView(p: {
  t: Translate;
  lang: Lang;
  csrf: string;
  now: Date;
  tokens: readonly TokenRow[];
  created: CreatedToken | null;
  errors: FieldErrors | null;
  values: Record<string, unknown>;
}) {
  const { t, lang, csrf, created, errors, values } = p;
  const scopeLabel = (s: string) => t(s === 'read' ? 'tokens.scopeRead' : 'tokens.scopeWrite');
  return (
    <>
      <p>{t('tokens.lead')}</p>
      {created ? (
        <div class="notice" role="status">
          <p>{t('tokens.created')}</p>
          <p>
            <code class="token" id="new-token">{created.token}</code>
          </p>
          <p>{t('tokens.createdNote', { scope: scopeLabel(created.scope), date: formatTokyo(created.expiresAt, lang, 'date') })}</p>
        </div>
      ) : null}
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action="/account/tokens" novalidate>
        <CsrfField token={csrf} />
        <TextField t={t} name="name" label={t('field.tokenName')} value={String(values.name ?? '')} errors={errors} required maxlength={100} />
        <fieldset class="field">
          <legend>{t('field.tokenScope')}</legend>
          <p class="hint" id="token-scope-hint">{t('tokens.scopeHint')}</p>
          {(['read', 'write'] as const).map((s) => (
            <label class="choice">
              <input type="radio" name="scope" value={s} checked={(values.scope ?? 'read') === s} aria-describedby="token-scope-hint" /> {scopeLabel(s)}
            </label>
          ))}
        </fieldset>
        <SelectField
          t={t}
          name="days"
          label={t('field.tokenDays')}
          value={String(values.days ?? 365)}
          errors={errors}
          options={[30, 90, 365, 1095].map((d) => ({ value: d, label: t(`tokens.days${d}` as 'tokens.days30') }))}
        />
        <button type="submit" class="button">
          {t('tokens.create')}
        </button>
      </form>
      <DataTable
        t={t}
        caption={t('tokens.title')}
        rows={p.tokens}
        columns={[
          { key: 'name', label: t('field.tokenName'), cell: (tk) => tk.name },
          { key: 'prefix', label: 'ID', cell: (tk) => <code>{tk.prefix}…</code> },
          { key: 'scope', label: t('field.tokenScope'), cell: (tk) => scopeLabel(tk.scope) },
          { key: 'expires', label: t('tokens.expires'), cell: (tk) => formatTokyo(tk.expires_at, lang, 'date') },
          { key: 'used', label: t('tokens.lastUsed'), cell: (tk) => (tk.last_used_at ? formatTokyo(tk.last_used_at, lang, 'datetime') : '—') },
          {
            key: 'actions',
            label: t('common.actions'),
            cell: (tk) =>
              tk.revoked_at ? (
                t('tokens.revoked')
              ) : tk.expires_at <= p.now ? (
                t('tokens.expired')
              ) : (
                <form method="post" action={`/account/tokens/${tk.id}/revoke`} class="inline-form">
                  <CsrfField token={csrf} />
                  <button type="submit" class="button button--small button--danger">
                    {t('tokens.revoke')}
                  </button>
                </form>
              ),
          },
        ]}
      />
    </>
  );
}
