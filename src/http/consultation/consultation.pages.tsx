import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { tokyoDateOf } from '../../domain/calendar.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import {
  assignCoordinators,
  closeConsultation,
  coordinatorsForChoice,
  fileConsultation,
  getConsultation,
  logActivity,
  mayUseDesk,
  myRequests,
  partnerSuggestions,
  respondToAssignment,
  suggestions,
  withdrawConsultation,
} from '../../services/consultation.service.js';
import { listPartners } from '../../services/partner.service.js';
import { listUnits } from '../../services/unit.service.js';
import { sendTable } from '../export.js';
import { type FormBody, formAction, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { type CaseForm, ConsultationDetailView } from './consultation-detail.views.js';
import { MyRequestsView, NewConsultationView } from './consultation.views.js';
import { activityColumns, consultationColumns, suggestionColumns, suggestionRows } from './presenter.js';

const STAFF = ['staff', 'approver', 'coordinator'] as const;

/** A coordinator the case is offered to or accepted by, while it is open. */
const workingOn = (d: { relation: { assignment: string | null }; consultation: { status: string } }) =>
  (d.relation.assignment === 'offered' || d.relation.assignment === 'accepted') && d.consultation.status !== 'closed' && d.consultation.status !== 'withdrawn';

const crumbs = (t: Translate, ...rest: { label: string; href?: string }[]) => [{ label: t('nav.home'), href: '/' }, { label: t('consultations.title'), href: '/consultations' }, ...rest];

/** My requests, filing a request, and one case with what may be done with it. */
export function registerConsultationPages(r: Router) {
  // --- My requests ---------------------------------------------------------------------------------
  r.get('/consultations', STAFF, async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const [rows, desk] = await Promise.all([myRequests(c.get('ctx'), user), mayUseDesk(c.get('ctx'), user)]);
    const notice = c.req.query('notice') === 'filed' ? t('consultations.filed') : c.req.query('notice') === 'withdrawn' ? t('consultations.withdrawn') : null;
    return page(
      c,
      t('consultations.title'),
      <MyRequestsView t={t} lang={c.get('lang')} rows={rows} coordinator={user.roles.includes('coordinator')} desk={desk} />,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('consultations.title') }], notice },
    );
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/consultations.${format}`, STAFF, async (c) => sendTable(c, format, 'consultations', c.get('t')('consultations.mine'), consultationColumns(c.get('t')), await myRequests(c.get('ctx'), c.get('user')!)));

  // --- Filing --------------------------------------------------------------------------------------
  const newForm = async (c: Ctx, values: FormBody, errors: FieldErrors | null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const [units, partners] = await Promise.all([listUnits(ctx, { activeOnly: true }), listPartners(ctx)]);
    return page(c, t('consultations.new'), <NewConsultationView t={t} csrf={c.get('csrf')} values={values} errors={errors} units={units} partners={partners} />, {
      crumbs: crumbs(t, { label: t('consultations.new') }),
      status: errors ? 422 : 200,
    });
  };
  r.get('/consultations/new', STAFF, (c) => newForm(c, { unitId: String(c.get('user')!.unitId ?? '') }, null));
  r.post('/consultations', STAFF, (c) =>
    formAction(c, {
      run: (body) => fileConsultation(c.get('ctx'), c.get('user')!, body),
      invalid: (body, errors) => newForm(c, body, errors),
      done: (k) => `/consultations/${k.id}?notice=filed`,
    }),
  );

  // --- One case -------------------------------------------------------------------------------------
  const NOTICES = ['filed', 'assigned', 'accepted', 'declined', 'logged', 'closed', 'withdrawn'] as const;
  const detail = async (c: Ctx, id: number, opts: { errors?: FieldErrors | null; form?: CaseForm; values?: FormBody; status?: ContentfulStatusCode } = {}) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const d = await getConsultation(ctx, user, id);
    const sug = d.can.triage ? await suggestions(ctx, user, id) : null;
    // A coordinator working on the case sees the ranked partners too, to bridge to them (issue 16 §2.6).
    const partnerSug = !sug && workingOn(d) ? await partnerSuggestions(ctx, user, id) : null;
    const [partners, coordinators] = await Promise.all([d.can.log ? listPartners(ctx) : Promise.resolve([]), d.can.triage ? coordinatorsForChoice(ctx) : Promise.resolve([])]);
    const n = c.req.query('notice');
    const notice = NOTICES.find((x) => x === n) ? t(`consultations.notice.${n as (typeof NOTICES)[number]}`) : null;
    return page(
      c,
      d.consultation.title,
      <ConsultationDetailView t={t} lang={c.get('lang')} csrf={c.get('csrf')} today={tokyoDateOf(ctx.now())} d={d} sug={sug} partnerSug={partnerSug} partners={partners} coordinators={coordinators} errors={opts.errors} form={opts.form} values={opts.values} />,
      { crumbs: crumbs(t, { label: d.consultation.title }), notice, status: opts.status ?? (opts.errors ? 422 : 200) },
    );
  };
  r.get('/consultations/:id', STAFF, (c) => detail(c, toId(c.req.param('id'))));

  const action = (path: string, form: CaseForm | null, access: typeof STAFF | readonly ['coordinator'], notice: string, run: (c: Ctx, id: number, body: FormBody) => Promise<unknown>) =>
    r.post(`/consultations/:id/${path}`, access, (c) => {
      const id = toId(c.req.param('id'));
      return formAction(c, {
        run: (body) => run(c, id, body),
        invalid: (body, errors, status) => detail(c, id, { errors, form: form ?? undefined, values: body, status }),
        done: () => `/consultations/${id}?notice=${notice}`,
      });
    });
  action('assign', 'assign', ['coordinator'], 'assigned', (c, id, body) => assignCoordinators(c.get('ctx'), c.get('user')!, id, body));
  action('accept', null, ['coordinator'], 'accepted', (c, id) => respondToAssignment(c.get('ctx'), c.get('user')!, id, true));
  action('decline', 'decline', ['coordinator'], 'declined', (c, id, body) => respondToAssignment(c.get('ctx'), c.get('user')!, id, false, body));
  action('activities', 'log', ['coordinator'], 'logged', (c, id, body) => logActivity(c.get('ctx'), c.get('user')!, id, body));
  action('close', 'close', ['coordinator'], 'closed', (c, id, body) => closeConsultation(c.get('ctx'), c.get('user')!, id, body));
  action('withdraw', 'withdraw', STAFF, 'withdrawn', (c, id, body) => withdrawConsultation(c.get('ctx'), c.get('user')!, id, body));

  for (const format of ['csv', 'xlsx'] as const) {
    r.get(`/consultations/:id/activities.${format}`, STAFF, async (c) => {
      const t = c.get('t');
      const d = await getConsultation(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
      return sendTable(c, format, `consultation-${d.consultation.id}-log`, t('consultations.log'), activityColumns(t), d.activities);
    });
    r.get(`/consultations/:id/suggestions.${format}`, ['coordinator'], async (c) => {
      const t = c.get('t');
      const [ctx, user, id] = [c.get('ctx'), c.get('user')!, toId(c.req.param('id'))];
      // Those who triage get both lists; a coordinator working on the case, the partners it shows them.
      const d = await getConsultation(ctx, user, id);
      const s = d.can.triage || !workingOn(d) ? await suggestions(ctx, user, id) : { ...(await partnerSuggestions(ctx, user, id)), coordinators: [] };
      return sendTable(c, format, `consultation-${s.consultation.id}-suggestions`, t('consultations.suggestions'), suggestionColumns(t), suggestionRows(t, s));
    });
  }
}
