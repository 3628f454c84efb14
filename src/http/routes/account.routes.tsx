import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { formatTokyo } from '../../domain/calendar.js';
import type { FieldErrors } from '../../lib/validation.js';
import { checkOneTimeLink, hasAnyPerson, login, logout, requestPasswordReset, setPasswordWithLink, setupFirstAdmin } from '../../services/account.service.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../services/api-token.service.js';
import { loadSampleData } from '../../services/sample-data.service.js';
import type { SampleSignIns } from '../../services/sample-sign-ins.js';
import { readForm, submit, toId } from '../forms.js';
import { noticeFrom, page, safeNext } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CheckboxGroup, CsrfField, ErrorSummary, SelectField, TextField } from '../views/components.js';
import { cookieOptions, CSRF_COOKIE, DEVICE_COOKIE, LANG_COOKIE, SESSION_COOKIE } from '../middleware/session.js';
import { clientIp } from '../client-ip.js';
import { randomToken } from '../../lib/crypto.js';
import { toXlsx } from '../../lib/xlsx.js';
import { exportPersonalData } from '../../services/personal-data.service.js';
import { PersonalDataView, personalDataTables } from './my-data.js';

export function registerAccount(r: Router) {
  // --- Setup: only while nobody exists -------------------------------------------------------
  const setupForm = (c: Ctx, values: Record<string, unknown> = {}, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) => {
    const t = c.get('t');
    return page(
      c,
      t('setup.title'),
      <>
        <p>{t('setup.lead')}</p>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action="/setup" novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} name="name" label={t('field.name')} value={String(values.name ?? '')} errors={errors} required autocomplete="name" />
          <TextField t={t} name="kana" label={t('field.kana')} value={String(values.kana ?? '')} errors={errors} required />
          <TextField t={t} name="email" type="email" label={t('field.email')} value={String(values.email ?? '')} errors={errors} required autocomplete="email" />
          <TextField t={t} name="password" type="password" label={t('field.password')} hint={t('password.policy')} errors={errors} required autocomplete="new-password" />
          <CheckboxGroup t={t} name="sampleData" label={t('field.sampleData')} values={values.sampleData ? ['on'] : []} options={[{ value: 'on', label: t('setup.sampleData') }]} />
          <button type="submit" class="button">
            {t('setup.submit')}
          </button>
        </form>
      </>,
      { status },
    );
  };
  r.get('/setup', 'public', async (c) => {
    if (await hasAnyPerson(c.get('ctx'))) return c.redirect('/login', 303);
    return setupForm(c, { sampleData: true });
  });
  r.post('/setup', 'public', async (c) => {
    const ctx = c.get('ctx');
    const form = await readForm(c);
    const res = await submit(
      () => setupFirstAdmin(ctx, form),
      (errors, status) => setupForm(c, form, errors, status === 409 ? 409 : 422),
    );
    if (!res.ok) return res.response;
    const sample = form.sampleData ? await loadSampleData(ctx, { id: res.value.id }) : null;
    const result = await login(ctx, { email: res.value.email, password: form.password }, { ip: clientIp(c), userAgent: c.req.header('User-Agent') ?? null });
    startSession(c, result.sessionToken, result.deviceToken);
    if (!sample?.signIns) return c.redirect('/', 303);
    // The sign-ins to try each role, shown once: this answer to the POST is the only place the password appears.
    c.set('user', result.user);
    c.header('Cache-Control', 'no-store');
    return sampleSignInsPage(c, sample.signIns);
  });
  const sampleSignInsPage = (c: Ctx, signIns: SampleSignIns) => {
    const t = c.get('t');
    return page(
      c,
      t('newcomer.title'),
      <>
        <p>{t('newcomer.lead')}</p>
        <dl class="summary-list">
          <dt>{t('newcomer.password')}</dt>
          <dd>
            <code class="sample-password">{signIns.password}</code>
          </dd>
        </dl>
        <p class="notice" role="note">
          {t('newcomer.once')}
        </p>
        <table class="data-table">
          <caption>{t('newcomer.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('newcomer.col.role')}</th>
              <th scope="col">{t('newcomer.col.email')}</th>
              <th scope="col">{t('newcomer.col.name')}</th>
            </tr>
          </thead>
          <tbody>
            {signIns.accounts.map((a) => (
              <tr>
                <th scope="row" data-label={t('newcomer.col.role')}>{t(`newcomer.role.${a.role}`)}</th>
                <td data-label={t('newcomer.col.email')}>
                  <code>{a.email}</code>
                </td>
                <td data-label={t('newcomer.col.name')}>{a.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <a class="button" href="/">
            {t('newcomer.continue')}
          </a>
        </p>
      </>,
    );
  };

  // --- Login / logout -------------------------------------------------------------------------
  const loginForm = (c: Ctx, email = '', errors: FieldErrors | null = null, status: 200 | 401 | 422 | 429 = 200) => {
    const t = c.get('t');
    const next = safeNext(c.req.query('next'));
    return page(
      c,
      t('login.title'),
      <>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={`/login?next=${encodeURIComponent(next)}`} novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} name="email" type="email" label={t('field.email')} value={email} errors={errors} required autocomplete="username" />
          <TextField t={t} name="password" type="password" label={t('field.password')} errors={errors} required autocomplete="current-password" />
          <button type="submit" class="button">
            {t('login.submit')}
          </button>
        </form>
        <p>
          <a href="/password/forgot">{t('login.forgot')}</a>
        </p>
      </>,
      { status, notice: noticeFrom(c) },
    );
  };
  r.get('/login', 'public', (c) => (c.get('user') ? c.redirect(safeNext(c.req.query('next')), 303) : loginForm(c)));
  r.post('/login', 'public', async (c) => {
    const form = await readForm(c);
    const res = await submit(
      () =>
        login(c.get('ctx'), form, {
          ip: clientIp(c),
          userAgent: c.req.header('User-Agent') ?? null,
          previousSessionToken: c.get('sessionToken'),
          deviceToken: getCookie(c, DEVICE_COOKIE) ?? null,
        }),
      (errors, status) => loginForm(c, String(form.email ?? ''), errors, status === 429 ? 429 : status === 401 ? 401 : 422),
    );
    if (!res.ok) return res.response;
    startSession(c, res.value.sessionToken, res.value.deviceToken);
    return c.redirect(safeNext(c.req.query('next')), 303);
  });
  r.post('/logout', 'public', async (c) => {
    const token = c.get('sessionToken');
    if (token) await logout(c.get('ctx'), token, c.get('user'));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login?notice=logout.done', 303);
  });

  // --- Password reset and invitation links ---------------------------------------------------
  const forgotForm = (c: Ctx, errors: FieldErrors | null = null, email = '', status: 200 | 422 | 429 = errors ? 422 : 200) => {
    const t = c.get('t');
    return page(
      c,
      t('password.forgotTitle'),
      <>
        <p>{t('password.forgotLead')}</p>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action="/password/forgot" novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} name="email" type="email" label={t('field.email')} value={email} errors={errors} required autocomplete="email" />
          <button type="submit" class="button">
            {t('password.forgotSubmit')}
          </button>
        </form>
      </>,
      { status },
    );
  };
  r.get('/password/forgot', 'public', (c) => forgotForm(c));
  r.post('/password/forgot', 'public', async (c) => {
    const form = await readForm(c);
    const res = await submit(
      () => requestPasswordReset(c.get('ctx'), form, { ip: clientIp(c) }),
      (errors, status) => forgotForm(c, errors, String(form.email ?? ''), status === 429 ? 429 : 422),
    );
    if (!res.ok) return res.response;
    return c.redirect('/login?notice=password.forgotSent', 303);
  });
  const setForm = (c: Ctx, token: string, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    return page(
      c,
      t('password.setTitle'),
      <>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={`/password/set/${encodeURIComponent(token)}`} novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} name="password" type="password" label={t('field.password')} hint={t('password.policy')} errors={errors} required autocomplete="new-password" />
          <TextField t={t} name="passwordConfirm" type="password" label={t('field.passwordConfirm')} errors={errors} required autocomplete="new-password" />
          <button type="submit" class="button">
            {t('password.setSubmit')}
          </button>
        </form>
      </>,
      { status: errors ? 422 : 200 },
    );
  };
  r.get('/password/set/:token', 'public', async (c) => {
    const token = c.req.param('token') ?? '';
    if (!(await checkOneTimeLink(c.get('ctx'), token))) return page(c, c.get('t')('password.setTitle'), <p>{c.get('t')('error.tokenInvalid')}</p>, { status: 404 });
    return setForm(c, token);
  });
  r.post('/password/set/:token', 'public', async (c) => {
    const token = c.req.param('token') ?? '';
    const form = await readForm(c);
    try {
      const res = await submit(() => setPasswordWithLink(c.get('ctx'), token, form), (errors) => setForm(c, token, errors));
      if (!res.ok) return res.response;
    } catch (e) {
      if ((e as { code?: string }).code === 'token_invalid')
        return page(c, c.get('t')('password.setTitle'), <p>{c.get('t')('error.tokenInvalid')}</p>, { status: 404 });
      throw e;
    }
    return c.redirect('/login?notice=password.setDone', 303);
  });

  // --- Language switch (a preference cookie; no state in the database) -----------------------
  r.get('/lang/:lang', 'public', (c) => {
    const lang = c.req.param('lang') === 'en' ? 'en' : 'ja';
    setCookie(c, LANG_COOKIE, lang, { ...cookieOptions(c.get('ctx').config.secureCookies), maxAge: 365 * 86400 });
    return c.redirect(safeNext(c.req.query('next')), 303);
  });

  // --- Home: GET / is in home.routes.tsx (per role) ---------------------------------------

  // --- My data: what Kyodo holds about me, to see and download (JSON, xlsx) ------------------
  r.get('/account/data', 'user', async (c) => {
    const t = c.get('t');
    const data = await exportPersonalData(c.get('ctx'), c.get('user')!.id);
    return page(
      c,
      t('mydata.title'),
      <>
        <p>{t('mydata.lead')}</p>
        <p class="actions">
          <a class="button" href="/account/data.json" download>
            {t('mydata.downloadJson')}
          </a>{' '}
          <a class="button button--secondary" href="/account/data.xlsx" download>
            {t('mydata.downloadXlsx')}
          </a>
        </p>
        <div class="notice" role="note">
          <p>{t('mydata.anonymousNote')}</p>
          <p>{t('mydata.retention')}</p>
        </div>
        <PersonalDataView t={t} tables={personalDataTables(t, c.get('lang'), data)} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('mydata.title') }] },
    );
  });
  r.get('/account/data.json', 'user', async (c) => {
    const data = await exportPersonalData(c.get('ctx'), c.get('user')!.id);
    return c.body(JSON.stringify(data, null, 2), 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="kyodo-my-data-${data.profile.id}.json"`,
      'Cache-Control': 'no-store',
    });
  });
  r.get('/account/data.xlsx', 'user', async (c) => {
    const data = await exportPersonalData(c.get('ctx'), c.get('user')!.id);
    const body = await toXlsx(personalDataTables(c.get('t'), c.get('lang'), data));
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="kyodo-my-data-${data.profile.id}.xlsx"`,
      'Cache-Control': 'no-store',
    });
  });

  // --- API tokens -----------------------------------------------------------------------------
  const tokensPage = async (
    c: Ctx,
    created: { token: string; scope: 'read' | 'write'; expiresAt: Date } | null = null,
    errors: FieldErrors | null = null,
    values: Record<string, unknown> = {},
  ) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const tokens = await listApiTokens(c.get('ctx'), c.get('user')!.id);
    const now = c.get('ctx').now();
    const scopeLabel = (s: string) => t(s === 'read' ? 'tokens.scopeRead' : 'tokens.scopeWrite');
    return page(
      c,
      t('tokens.title'),
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
          <CsrfField token={c.get('csrf')} />
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
        <table class="data-table">
          <caption>{t('tokens.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field.tokenName')}</th>
              <th scope="col">ID</th>
              <th scope="col">{t('field.tokenScope')}</th>
              <th scope="col">{t('tokens.expires')}</th>
              <th scope="col">{t('tokens.lastUsed')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((tk) => (
              <tr>
                <td>{tk.name}</td>
                <td>
                  <code>{tk.prefix}…</code>
                </td>
                <td>{scopeLabel(tk.scope)}</td>
                <td>{formatTokyo(tk.expires_at, lang, 'date')}</td>
                <td>{tk.last_used_at ? formatTokyo(tk.last_used_at, lang, 'datetime') : '—'}</td>
                <td>
                  {tk.revoked_at ? (
                    t('tokens.revoked')
                  ) : tk.expires_at <= now ? (
                    t('tokens.expired')
                  ) : (
                    <form method="post" action={`/account/tokens/${tk.id}/revoke`} class="inline-form">
                      <CsrfField token={c.get('csrf')} />
                      <button type="submit" class="button button--small button--danger">
                        {t('tokens.revoke')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>,
      { status: errors ? 422 : 200 },
    );
  };
  r.get('/account/tokens', 'user', (c) => tokensPage(c));
  r.post('/account/tokens', 'user', async (c) => {
    const user = c.get('user')!;
    const form = await readForm(c);
    const res = await submit(() => createApiToken(c.get('ctx'), user, user.id, form), (errors) => tokensPage(c, null, errors, form));
    if (!res.ok) return res.response;
    return tokensPage(c, res.value);
  });
  r.post('/account/tokens/:id/revoke', 'user', async (c) => {
    await revokeApiToken(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
    return c.redirect('/account/tokens', 303);
  });
}

function startSession(c: Ctx, token: string, deviceToken: string) {
  const ctx = c.get('ctx');
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(ctx.config.secureCookies), maxAge: ctx.config.sessionAbsoluteHours * 3600 });
  // Kept after logout: it says only that this browser has logged in to that account before.
  setCookie(c, DEVICE_COOKIE, deviceToken, { ...cookieOptions(ctx.config.secureCookies), sameSite: 'Strict', maxAge: 365 * 24 * 3600 });
  // A new CSRF token with the new session.
  setCookie(c, CSRF_COOKIE, randomToken(24), cookieOptions(ctx.config.secureCookies));
}
