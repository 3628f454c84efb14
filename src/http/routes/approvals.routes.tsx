import { formatTokyo } from '../../domain/calendar.js';
import { answerSheet } from '../../domain/application-policy.js';
import type { FieldErrors } from '../../lib/validation.js';
import { endorse, endorsementQueue } from '../../services/application.service.js';
import { ServiceError } from '../../services/context.js';
import { readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CsrfField, ErrorSummary } from '../views/components.js';

export function registerApprovals(r: Router) {
  const queuePage = async (c: Ctx, errors: FieldErrors | null = null, status: 200 | 403 | 409 | 422 = 200) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const queue = await endorsementQueue(c.get('ctx'), c.get('user')!);
    return page(
      c,
      t('approvals.title'),
      <>
      <ErrorSummary t={t} errors={errors} />
      {queue.length ? (
        <table class="data-table">
          <caption>{t('approvals.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('approvals.applicant')}</th>
              <th scope="col">{t('approvals.offering')}</th>
              <th scope="col">{t('approvals.appliedAt')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {queue.map((a) => (
              <tr>
                <td>
                  {a.person_name}
                  <br />
                  <span class="kana">{a.unit_name ?? ''}</span>
                </td>
                <td>
                  <a href={`/trainings/${a.offering_id}`}>{a.offering_title}</a>
                  {a.offering_questions.length || Object.keys(a.answers).length ? (
                    <dl class="small">
                      {answerSheet(a.offering_questions, a.answers).map((l) => (
                        <>
                          <dt>{l.question}</dt>
                          <dd>{l.answer || (a.answers_pending ? t('applications.answersPending') : t('applications.noAnswer'))}</dd>
                        </>
                      ))}
                    </dl>
                  ) : null}
                </td>
                <td>{formatTokyo(a.applied_at, lang, 'datetime')}</td>
                <td>
                  <form method="post" action={`/approvals/${a.id}`}>
                    <CsrfField token={c.get('csrf')} />
                    <label for={`comment-${a.id}`}>{t('approvals.comment')}</label>
                    <textarea id={`comment-${a.id}`} name="comment" rows={2} maxlength={1000}></textarea>
                    <div class="actions">
                      <button type="submit" name="decision" value="endorse" class="button button--small">
                        {t('approvals.endorse')}
                      </button>
                      <button type="submit" name="decision" value="return" class="button button--small button--secondary">
                        {t('approvals.return')}
                      </button>
                    </div>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('approvals.none')}</p>
      )}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('approvals.title') }], notice: c.req.query('notice') === 'done' ? t('approvals.done') : null, status },
    );
  };
  r.get('/approvals', ['approver'], (c) => queuePage(c));
  r.post('/approvals/:id', ['approver'], async (c) => {
    const form = await readForm(c);
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const id = toId(c.req.param('id'));
    // A refusal (such as one's own application) is shown on the list with its reason, not as a bare error page.
    const res = await submit(
      () => endorse(ctx, user, id, { decision: form.decision, comment: form.comment }),
      (errors, status) => queuePage(c, errors, status === 409 ? 409 : 422),
    ).catch(async (e) => {
      if (e instanceof ServiceError && e.code === 'own_application') return { ok: false as const, response: await queuePage(c, { _: { key: e.messageKey } }, 403) };
      throw e;
    });
    if (!res.ok) return res.response;
    return c.redirect('/approvals?notice=done', 303);
  });
}
