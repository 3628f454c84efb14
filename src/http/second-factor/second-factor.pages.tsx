import { getCookie } from 'hono/cookie';
import type { FieldErrors } from '../../lib/validation.js';
import {
  cancelPendingSignIn,
  completeSecondFactor,
  confirmEnrolment,
  enrolment,
  pendingSignIn,
  secondFactorStatus,
  turnOffSecondFactor,
} from '../../services/second-factor.service.js';
import { clientIp } from '../client-ip.js';
import { readForm, submit } from '../forms.js';
import { endPendingSignIn, PENDING_COOKIE, startSession } from '../sign-in-cookies.js';
import { DEVICE_COOKIE } from '../middleware/session.js';
import { page, safeNext } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { codeOf } from './schema.js';
import { AccountSecondFactorView, ChallengeView, ExpiredView, RecoveryCodesView, SignInEnrolView, withQr } from './second-factor.views.js';

/** The pending sign-in's token between the password and the code (decision 0025): HttpOnly, five minutes, sent only to /login. */
/** Enrolment on the account page, and the second step of a password sign-in (issue 20 §1). */
export function registerSecondFactorPages(r: Router) {
  // --- The account page: enrol, replace, turn off ------------------------------------------------
  const accountPage = async (c: Ctx, opts: { errors?: FieldErrors | null; offErrors?: FieldErrors | null; status?: 200 | 401 | 409 | 422 | 429; fresh?: boolean; notice?: string | null } = {}) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const ctx = c.get('ctx');
    const status = await secondFactorStatus(ctx, user);
    const shown = !status.enrolled || c.req.query('setup') === 'new' || opts.errors ? await withQr(await enrolment(ctx, user, { fresh: opts.fresh })) : null;
    c.header('Cache-Control', 'no-store');
    return page(
      c,
      t('secondFactor.title'),
      <AccountSecondFactorView t={t} lang={c.get('lang')} csrf={c.get('csrf')} status={status} enrolment={shown} errors={opts.errors ?? null} offErrors={opts.offErrors ?? null} />,
      { status: opts.status ?? 200, notice: opts.notice ?? (c.req.query('done') === 'off' ? t('secondFactor.offDone') : null) },
    );
  };
  r.get('/account/second-factor', 'user', (c) => accountPage(c));
  r.post('/account/second-factor', 'user', async (c) => {
    const form = await readForm(c);
    const res = await submit(
      () => confirmEnrolment(c.get('ctx'), c.get('user')!, codeOf(form)),
      (errors, status) => accountPage(c, { errors, status: signedInStatus(status) }),
    );
    if (!res.ok) return res.response;
    // The recovery codes are shown once, on this answer to the POST: no redirect.
    c.header('Cache-Control', 'no-store');
    return page(c, c.get('t')('secondFactor.title'), <RecoveryCodesView t={c.get('t')} codes={res.value} next="/account/second-factor" />);
  });
  r.post('/account/second-factor/new', 'user', async (c) => {
    await enrolment(c.get('ctx'), c.get('user')!, { fresh: true });
    return c.redirect('/account/second-factor?setup=new#setup', 303);
  });
  r.post('/account/second-factor/off', 'user', async (c) => {
    const form = await readForm(c);
    const res = await submit(
      () => turnOffSecondFactor(c.get('ctx'), c.get('user')!, codeOf(form)),
      (offErrors, status) => accountPage(c, { offErrors, status: signedInStatus(status) }),
    );
    if (!res.ok) return res.response;
    return c.redirect('/account/second-factor?done=off', 303);
  });

  // --- The second step of a password sign-in ------------------------------------------------------
  const expired = (c: Ctx, status: 401 | 429 = 401, message?: string) => {
    endPendingSignIn(c);
    const t = c.get('t');
    return page(c, t('secondFactor.challengeTitle'), <ExpiredView t={t} message={message ?? t('secondFactor.error.expired')} />, { status });
  };
  const stepPage = async (c: Ctx, token: string, errors: FieldErrors | null = null, status: 200 | 401 | 409 | 422 = 200) => {
    const t = c.get('t');
    const step = await pendingSignIn(c.get('ctx'), token);
    if (!step) return expired(c);
    c.header('Cache-Control', 'no-store');
    if (step.mode === 'challenge') return page(c, t('secondFactor.challengeTitle'), <ChallengeView t={t} csrf={c.get('csrf')} email={step.email} errors={errors} />, { status });
    const shown = await withQr(step.enrolment);
    return page(c, t('secondFactor.enrolTitle'), <SignInEnrolView t={t} csrf={c.get('csrf')} email={step.email} enrolment={shown} errors={errors} />, { status });
  };
  r.get('/login/second-factor', 'public', (c) => {
    const token = getCookie(c, PENDING_COOKIE);
    return token ? stepPage(c, token) : expired(c);
  });
  r.post('/login/second-factor', 'public', async (c) => {
    const token = getCookie(c, PENDING_COOKIE);
    if (!token) return expired(c);
    const form = await readForm(c);
    const res = await submit(
      () =>
        completeSecondFactor(c.get('ctx'), token, codeOf(form), {
          ip: clientIp(c),
          userAgent: c.req.header('User-Agent') ?? null,
          previousSessionToken: c.get('sessionToken'),
          deviceToken: getCookie(c, DEVICE_COOKIE) ?? null,
        }),
      (errors, status, e) => {
        if (status === 429) return expired(c, 429, c.get('t')(e.messageKey, e.params));
        if (e.code === 'pending_expired') return expired(c);
        return stepPage(c, token, errors, statusOf(status) === 429 ? 401 : (statusOf(status) as 401 | 409 | 422));
      },
    );
    if (!res.ok) return res.response;
    endPendingSignIn(c);
    startSession(c, res.value.sessionToken, res.value.deviceToken);
    const next = safeNext(res.value.next);
    if (!res.value.recoveryCodes) return c.redirect(next, 303);
    // Enrolled during sign-in: the session has started; the recovery codes are shown once, here.
    c.set('user', res.value.user);
    c.header('Cache-Control', 'no-store');
    return page(c, c.get('t')('secondFactor.title'), <RecoveryCodesView t={c.get('t')} codes={res.value.recoveryCodes} next={next} />);
  });
  r.post('/login/second-factor/cancel', 'public', async (c) => {
    const token = getCookie(c, PENDING_COOKIE);
    if (token) await cancelPendingSignIn(c.get('ctx'), token);
    endPendingSignIn(c);
    return c.redirect('/login', 303);
  });
}

function statusOf(status: number): 401 | 409 | 422 | 429 {
  return status === 401 || status === 409 || status === 429 ? status : 422;
}

/** A wrong code from a person already signed in is a mistake in the form (422), not a failed sign-in (401). */
const signedInStatus = (status: number) => (status === 401 ? 422 : statusOf(status));

