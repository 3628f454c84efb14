import QRCode from 'qrcode';
import { hasDecisionNotice, owesAnswers } from '../../domain/application-policy.js';
import { mayAnswerApplication, mayViewApplication } from '../../domain/policies/application.js';
import { LIVE_STATUSES } from '../../domain/selection.js';
import type { FieldErrors } from '../../lib/validation.js';
import { answerQuestions, getApplication, myApplications } from '../../services/application.service.js';
import { calendarToken, existingCalendarToken } from '../../services/calendar-feed.service.js';
import { certificatesForPerson, getAssignment, submitAssignment } from '../../services/completion.service.js';
import { getOffering } from '../../services/offering.service.js';
import { getPerson } from '../../services/person.service.js';
import { formAction, readForm, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { answersOf } from '../views/offering-facts.js';
import { ApplicationDetail, DecisionNotice, MyTrainings } from './application.views.js';

/** The applicant's side of their applications: the list, each application's page and decision notice, its answers and assignment. */
export function registerApplicationPages(r: Router) {
  r.get('/my/trainings', 'user', async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    // The feed's URL is made when the person asks for it (a POST), not by looking at this page: a view
    // records nothing (it used to create the token and audit "calendar feed created" on a first visit).
    const [apps, token] = await Promise.all([myApplications(ctx, user.id), existingCalendarToken(ctx, user.id)]);
    const feed = c.req.query('feed');
    const notice = feed === 'made' ? t('my.feedMade') : feed === 'renewed' ? t('my.feedRenewed') : feed === 'unconfirmed' ? t('my.feedRenewUnconfirmed') : null;
    return page(c, t('my.title'), <MyTrainings t={t} lang={c.get('lang')} csrf={c.get('csrf')} apps={apps} feedUrl={token ? `${ctx.config.baseUrl}/calendar/${token}.ics` : null} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('my.title') }],
      notice,
    });
  });
  // Makes the feed's URL, or (renew, confirmed) a new one that replaces it: the old one stops working.
  r.post('/my/calendar-feed', 'user', async (c) => {
    const body = await readForm(c);
    const user = c.get('user')!;
    const renew = body.renew === '1';
    if (renew && body.confirm !== 'yes') return c.redirect('/my/trainings?feed=unconfirmed#feed', 303);
    await calendarToken(c.get('ctx'), user.id, renew);
    return c.redirect(`/my/trainings?feed=${renew ? 'renewed' : 'made'}#feed`, 303);
  });

  /**
   * The application's page: the 受講決定通知 when (and only when) the seat is confirmed, then the
   * application itself: status, answers under their questions (with the form to answer those left to
   * the applicant), the approver's comment with who and when, and 辞退.
   */
  const noticePage = async (c: Ctx, id: number, errors: FieldErrors | null = null, answerErrors: FieldErrors | null = null, answerValues: Record<string, string> = {}) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const a = await getApplication(ctx, id);
    if (!a || !mayViewApplication(user, a)) return c.notFound();
    const d = (await getOffering(ctx, a.offering_id))!;
    const own = a.person_id === user.id;
    const byOther = a.applied_by !== null && a.applied_by !== a.person_id ? ((await getPerson(ctx, a.applied_by))?.name ?? '') : null;
    const crumbs = own
      ? [{ label: t('nav.home'), href: '/' }, { label: t('my.title'), href: '/my/trainings' }]
      : [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: d.offering.title, href: `/admin/offerings/${d.offering.id}/applications` }];
    const noticeParam = c.req.query('notice');
    const notice = noticeParam === 'submitted' ? t('assignment.done') : noticeParam === 'answered' ? t('applications.answered') : noticeParam === 'cancelled' ? t('trainings.cancelled') : null;
    const application = (
      <ApplicationDetail
        t={t}
        lang={lang}
        csrf={c.get('csrf')}
        a={a}
        d={d}
        byOther={byOther}
        answering={mayAnswerApplication(user, a) && owesAnswers(a)}
        live={LIVE_STATUSES.includes(a.status)}
        answerErrors={answerErrors}
        answerValues={answerValues}
      />
    );
    if (!hasDecisionNotice(a.status))
      return page(
        c,
        t('applications.detailTitle'),
        <>
          <p>{t('applications.noNotice', { status: t(`status.${a.status}`) })}</p>
          {application}
        </>,
        { crumbs: [...crumbs, { label: t('applications.detailTitle') }], notice, status: answerErrors ? 422 : 200 },
      );
    const qr = await QRCode.toString(a.participant_code, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    const [assignment, certificates] = await Promise.all([getAssignment(ctx, a.id), certificatesForPerson(ctx, a.person_id)]);
    const certificate = certificates.find((x) => x.application_id === a.id && !x.revoked_at);
    return page(
      c,
      t('notice.title'),
      <DecisionNotice
        t={t}
        lang={lang}
        csrf={c.get('csrf')}
        a={a}
        d={d}
        qr={qr}
        date={a.decided_at ?? ctx.now()}
        prefecture={ctx.config.prefectureName}
        certificateNumber={certificate?.number ?? null}
        assignment={assignment}
        errors={errors}
      >
        {application}
      </DecisionNotice>,
      { crumbs: [...crumbs, { label: t('notice.title') }], notice, status: errors || answerErrors ? 422 : 200 },
    );
  };
  r.get('/my/applications/:id', 'user', (c) => noticePage(c, toId(c.req.param('id'))));
  r.post('/my/applications/:id/answers', 'user', (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => answerQuestions(c.get('ctx'), c.get('user')!, id, { answers: answersOf(form) }),
      invalid: (form, errors) => noticePage(c, id, null, errors, answersOf(form)),
      done: () => `/my/applications/${id}?notice=answered`,
    });
  });

  r.post('/my/applications/:id/assignment', 'user', (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: async (form) => {
        const file = form.file instanceof File && form.file.size > 0 ? { name: form.file.name, bytes: new Uint8Array(await form.file.arrayBuffer()) } : null;
        return submitAssignment(c.get('ctx'), c.get('user')!, id, { text: form.text, file });
      },
      // A wrong text or file is shown at its field; any other refusal (no longer confirmed, already accepted) is the status page.
      invalid: (_, errors, status, e) => {
        if (status !== 422) throw e;
        return noticePage(c, id, errors);
      },
      done: () => `/my/applications/${id}?notice=submitted`,
    });
  });
}
