import { CONSULTATION_KINDS, CONSULTATION_STATUSES, type ConsultationStatus } from '../../domain/matching.js';
import type { FieldErrors } from '../../lib/validation.js';
import { coordinatorsForChoice, deskMembers, queue, setDesk, workspace } from '../../services/consultation.service.js';
import { sendTable } from '../export.js';
import { formAction } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { DeskMembersView, QueueView, WorkspaceView } from './desk.views.js';
import { caseColumns, consultationColumns } from './presenter.js';

const queueFilters = (c: Ctx) => ({ status: CONSULTATION_STATUSES.find((s) => s === c.req.query('status')) as ConsultationStatus | undefined, kind: CONSULTATION_KINDS.find((k) => k === c.req.query('kind')) });

/** The coordinators' desk: its queue, a coordinator's workspace (/my/cases), and the desk's members (admins). */
export function registerConsultationDeskPages(r: Router) {
  // --- The desk's queue ----------------------------------------------------------------------------
  r.get('/desk/consultations', ['coordinator'], async (c) => {
    const t = c.get('t');
    const f = queueFilters(c);
    const rows = await queue(c.get('ctx'), c.get('user')!, f);
    const qs = new URLSearchParams(Object.entries(f).filter((e) => !!e[1]) as [string, string][]).toString();
    return page(c, t('consultations.desk.title'), <QueueView t={t} lang={c.get('lang')} rows={rows} filters={f} query={qs} admin={c.get('user')!.roles.includes('admin')} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('consultations.desk.title') }],
    });
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/desk/consultations.${format}`, ['coordinator'], async (c) => sendTable(c, format, 'consultation-queue', c.get('t')('consultations.desk.title'), consultationColumns(c.get('t')), await queue(c.get('ctx'), c.get('user')!, queueFilters(c))));

  // --- The coordinator's workspace -----------------------------------------------------------------
  r.get('/my/cases', ['coordinator'], async (c) => {
    const t = c.get('t');
    const w = await workspace(c.get('ctx'), c.get('user')!);
    return page(c, t('consultations.workspace.title'), <WorkspaceView t={t} lang={c.get('lang')} w={w} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('consultations.workspace.title') }],
    });
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/my/cases.${format}`, ['coordinator'], async (c) => {
      const w = await workspace(c.get('ctx'), c.get('user')!);
      return sendTable(c, format, 'my-cases', c.get('t')('consultations.workspace.title'), caseColumns(c.get('t')), [...w.open, ...w.history]);
    });

  // --- The desk's members (admins) -----------------------------------------------------------------
  const deskPage = async (c: Ctx, errors: FieldErrors | null = null, notice: string | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const [members, choices] = await Promise.all([deskMembers(ctx), coordinatorsForChoice(ctx)]);
    return page(c, t('consultations.desk.members'), <DeskMembersView t={t} csrf={c.get('csrf')} members={members} choices={choices} errors={errors} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('consultations.desk.title'), href: '/desk/consultations' }, { label: t('consultations.desk.members') }],
      notice,
      status: errors ? 422 : 200,
    });
  };
  r.get('/admin/coordinator-desk', ['admin'], (c) => deskPage(c, null, c.req.query('notice') === 'saved' ? c.get('t')('common.saved') : null));
  r.post('/admin/coordinator-desk', ['admin'], (c) =>
    formAction(c, {
      run: (body) => setDesk(c.get('ctx'), c.get('user'), body),
      invalid: (_body, errors) => deskPage(c, errors),
      done: () => '/admin/coordinator-desk?notice=saved',
    }),
  );
}
