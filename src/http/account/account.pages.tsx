import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { FieldErrors } from '../../lib/validation.js';
import { checkOneTimeLink, hasAnyPerson, logout, passwordLogin, requestPasswordReset, setPasswordWithLink, setupFirstAdmin } from '../../services/account.service.js';
import { startPendingSignIn, startSession } from '../sign-in-cookies.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../services/api-token.service.js';
import { loadSampleData } from '../../services/sample-data/sample-data.service.js';
import { ServiceError } from '../../services/context.js';
import { providerSignOutUrl } from '../../services/sso.service.js';
import { clientIp } from '../client-ip.js';
import { formAction, readForm, submit, toId } from '../forms.js';
import { cookieOptions, DEVICE_COOKIE, LANG_COOKIE, SESSION_COOKIE } from '../middleware/session.js';
import { noticeFrom, page, safeNext } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { type CreatedToken, TokensView } from './account-tokens.views.js';
import { ForgotPasswordView, LoginView, SampleSignInsView, SetPasswordView, SetupView } from './account.views.js';

/** Setup, login and logout, password links, the language switch and personal access tokens. */
export function registerAccountPages(r: Router) {
  // --- Setup: only while nobody exists -------------------------------------------------------
  const setupForm = (c: Ctx, values: Record<string, unknown> = {}, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) =>
    page(c, c.get('t')('setup.title'), <SetupView t={c.get('t')} csrf={c.get('csrf')} values={values} errors={errors} />, { status });
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
    const signedIn = await passwordLogin(ctx, { email: res.value.email, password: form.password }, { ip: clientIp(c), userAgent: c.req.header('User-Agent') ?? null }).catch((e: unknown) => {
      // KYODO_ADMIN_SIGN_IN=sso or KYODO_PASSWORD_SIGN_IN=partners: the first administrator signs in through the provider.
      if (e instanceof ServiceError && e.code === 'sso_only') return null;
      throw e;
    });
    if (!signedIn) return c.redirect('/login?notice=setup.ssoNext', 303);
    // KYODO_ADMIN_SIGN_IN=totp: the first administrator sets up the second factor before the session starts.
    if (signedIn.kind === 'second_factor') return (startPendingSignIn(c, signedIn.pendingToken), c.redirect('/login/second-factor', 303));
    const result = signedIn;
    startSession(c, result.sessionToken, result.deviceToken);
    if (!sample?.signIns) return c.redirect('/', 303);
    // The sign-ins to try each role, shown once: this answer to the POST is the only place the password appears.
    c.set('user', result.user);
    c.header('Cache-Control', 'no-store');
    return page(c, c.get('t')('newcomer.title'), <SampleSignInsView t={c.get('t')} signIns={sample.signIns} />);
  });

  // --- Login / logout -------------------------------------------------------------------------
  const loginForm = (c: Ctx, email = '', errors: FieldErrors | null = null, status: 200 | 401 | 422 | 429 = 200) =>
    page(
      c,
      c.get('t')('login.title'),
      <LoginView
        t={c.get('t')}
        csrf={c.get('csrf')}
        next={safeNext(c.req.query('next'))}
        email={email}
        errors={errors}
        sso={c.get('ctx').config.oidc !== null}
        partnersOnly={c.get('ctx').config.passwordSignIn === 'partners'}
      />,
      { status, notice: noticeFrom(c) },
    );
  r.get('/login', 'public', (c) => (c.get('user') ? c.redirect(safeNext(c.req.query('next')), 303) : loginForm(c)));
  r.post('/login', 'public', (c) =>
    formAction(c, {
      run: async (form) => {
        const res = await passwordLogin(c.get('ctx'), form, {
          ip: clientIp(c),
          userAgent: c.req.header('User-Agent') ?? null,
          previousSessionToken: c.get('sessionToken'),
          deviceToken: getCookie(c, DEVICE_COOKIE) ?? null,
          next: safeNext(c.req.query('next')),
        });
        // A second factor is due: no session yet, a pending sign-in (decision 0025).
        if (res.kind === 'second_factor') startPendingSignIn(c, res.pendingToken);
        else startSession(c, res.sessionToken, res.deviceToken);
        return res;
      },
      invalid: (form, errors, status) => loginForm(c, String(form.email ?? ''), errors, status === 429 ? 429 : status === 401 ? 401 : 422),
      done: (res) => (res.kind === 'second_factor' ? '/login/second-factor' : safeNext(c.req.query('next'))),
    }),
  );
  r.post('/logout', 'public', async (c) => {
    const token = c.get('sessionToken');
    // A session begun through the provider ends there too (its end_session_endpoint, when it has one).
    const providerSignOut = token ? await providerSignOutUrl(c.get('ctx'), token) : null;
    if (token) await logout(c.get('ctx'), token, c.get('user'));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect(providerSignOut ?? '/login?notice=logout.done', 303);
  });

  // --- Password reset and invitation links ---------------------------------------------------
  const forgotForm = (c: Ctx, errors: FieldErrors | null = null, email = '', status: 200 | 422 | 429 = errors ? 422 : 200) =>
    page(c, c.get('t')('password.forgotTitle'), <ForgotPasswordView t={c.get('t')} csrf={c.get('csrf')} email={email} errors={errors} />, { status });
  r.get('/password/forgot', 'public', (c) => forgotForm(c));
  r.post('/password/forgot', 'public', (c) =>
    formAction(c, {
      run: (form) => requestPasswordReset(c.get('ctx'), form, { ip: clientIp(c) }),
      invalid: (form, errors, status) => forgotForm(c, errors, String(form.email ?? ''), status === 429 ? 429 : 422),
      done: () => '/login?notice=password.forgotSent',
    }),
  );
  const setForm = (c: Ctx, token: string, errors: FieldErrors | null = null) =>
    page(c, c.get('t')('password.setTitle'), <SetPasswordView t={c.get('t')} csrf={c.get('csrf')} token={token} errors={errors} />, { status: errors ? 422 : 200 });
  const tokenInvalid = (c: Ctx) => page(c, c.get('t')('password.setTitle'), <p>{c.get('t')('error.tokenInvalid')}</p>, { status: 404 });
  r.get('/password/set/:token', 'public', async (c) => {
    const token = c.req.param('token') ?? '';
    if (!(await checkOneTimeLink(c.get('ctx'), token))) return tokenInvalid(c);
    return setForm(c, token);
  });
  r.post('/password/set/:token', 'public', async (c) => {
    const token = c.req.param('token') ?? '';
    try {
      return await formAction(c, {
        run: (form) => setPasswordWithLink(c.get('ctx'), token, form),
        invalid: (_form, errors) => setForm(c, token, errors),
        done: () => '/login?notice=password.setDone',
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'token_invalid') return tokenInvalid(c);
      throw e;
    }
  });

  // --- Language switch (a preference cookie; no state in the database) -----------------------
  r.get('/lang/:lang', 'public', (c) => {
    const lang = c.req.param('lang') === 'en' ? 'en' : 'ja';
    setCookie(c, LANG_COOKIE, lang, { ...cookieOptions(c.get('ctx').config.secureCookies), maxAge: 365 * 86400 });
    return c.redirect(safeNext(c.req.query('next')), 303);
  });

  // --- Home: GET / is in home/home.pages.tsx (per role); my data in personal-data/ -------------

  // --- API tokens -----------------------------------------------------------------------------
  const tokensPage = async (c: Ctx, created: CreatedToken | null = null, errors: FieldErrors | null = null, values: Record<string, unknown> = {}) => {
    const t = c.get('t');
    const tokens = await listApiTokens(c.get('ctx'), c.get('user')!.id);
    return page(
      c,
      t('tokens.title'),
      <TokensView t={t} lang={c.get('lang')} csrf={c.get('csrf')} now={c.get('ctx').now()} tokens={tokens} created={created} errors={errors} values={values} />,
      { status: errors ? 422 : 200 },
    );
  };
  r.get('/account/tokens', 'user', (c) => tokensPage(c));
  r.post('/account/tokens', 'user', async (c) => {
    const user = c.get('user')!;
    const form = await readForm(c);
    // The new token is shown once, on this answer to the POST: no redirect.
    const res = await submit(() => createApiToken(c.get('ctx'), user, user.id, form), (errors) => tokensPage(c, null, errors, form));
    if (!res.ok) return res.response;
    return tokensPage(c, res.value);
  });
  r.post('/account/tokens/:id/revoke', 'user', async (c) => {
    await revokeApiToken(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
    return c.redirect('/account/tokens', 303);
  });
}

