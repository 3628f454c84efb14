import { formatTokyo } from '../../domain/calendar.js';
import { endorse, endorsementQueue } from '../../services/application.service.js';
import { readForm, toId } from '../forms.js';
import { page } from '../page.js';
import type { Router } from '../router.js';
import { CsrfField } from '../views/components.js';

export function registerApprovals(r: Router) {
  r.get('/approvals', ['approver'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const queue = await endorsementQueue(c.get('ctx'), c.get('user')!);
    return page(
      c,
      t('approvals.title'),
      queue.length ? (
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
                  {Object.entries(a.answers).length ? (
                    <dl class="small">
                      {Object.entries(a.answers).map(([k, v]) => (
                        <>
                          <dt>{k}</dt>
                          <dd>{v}</dd>
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
      ),
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('approvals.title') }], notice: c.req.query('notice') === 'done' ? t('approvals.done') : null },
    );
  });
  r.post('/approvals/:id', ['approver'], async (c) => {
    const form = await readForm(c);
    await endorse(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), { decision: form.decision, comment: form.comment });
    return c.redirect('/approvals?notice=done', 303);
  });
}
