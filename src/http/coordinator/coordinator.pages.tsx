import { isAdmin } from '../../domain/policies/actor.js';
import { COORDINATOR_STATUSES, directoryStatusesFor } from '../../domain/policies/coordinator.js';
import type { FieldErrors } from '../../lib/validation.js';
import { coordinatorDirectory, getCoordinatorProfile, saveCoordinatorProfile } from '../../services/coordinator.service.js';
import { listUnits } from '../../services/unit.service.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { DirectoryView, type ProfileValues, ProfileView } from './coordinator.views.js';

const text = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');

/** The coordinators' directory, and a coordinator's own profile in it. */
export function registerCoordinatorPages(r: Router) {
  // --- Directory -------------------------------------------------------------------------------
  // Partner members do not see staff data: the directory is for staff.
  r.get('/coordinators', ['staff', 'approver', 'coordinator'], async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const admin = isAdmin(user);
    const q = c.req.query('q')?.slice(0, 100) || undefined;
    const areaId = toId(c.req.query('area')) || undefined;
    const status = COORDINATOR_STATUSES.find((s) => s === c.req.query('status'));
    const statuses = directoryStatusesFor(user, status);
    const [entries, units] = await Promise.all([coordinatorDirectory(ctx, { q, areaId, statuses }), listUnits(ctx, { kind: 'municipality', activeOnly: true })]);
    return page(c, t('coordinators.title'), <DirectoryView t={t} lang={c.get('lang')} entries={entries} units={units} q={q} areaId={areaId} status={status} admin={admin} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('coordinators.title') }],
    });
  });

  // --- Own profile -------------------------------------------------------------------------------
  const profileForm = async (c: Ctx, values: FormBody | null, errors: FieldErrors | null, notice: string | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const { profile } = await getCoordinatorProfile(ctx, c.get('user')!.id);
    const units = await listUnits(ctx, { kind: 'municipality', activeOnly: true });
    const v: ProfileValues = values
      ? {
          fields: text(values.fields),
          areas: Array.isArray(values.areas) ? values.areas : values.areas ? [String(values.areas)] : [],
          availability: text(values.availability),
          introduction: text(values.introduction),
        }
      : {
          fields: (profile?.fields ?? []).join('、'),
          areas: (profile?.area_unit_ids ?? []).map(String),
          availability: profile?.availability ?? '',
          introduction: profile?.introduction ?? '',
        };
    return page(c, t('coordinators.profile'), <ProfileView t={t} csrf={c.get('csrf')} v={v} units={units} errors={errors} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('coordinators.profile') }],
      notice,
      status: errors ? 422 : 200,
    });
  };
  r.get('/my/coordinator-profile', ['coordinator'], (c) => profileForm(c, null, null));
  // Not formAction: a saved profile is shown again at once with 保存しました (200), as it always was.
  r.post('/my/coordinator-profile', ['coordinator'], async (c) => {
    const form = await readForm(c);
    const res = await submit(() => saveCoordinatorProfile(c.get('ctx'), c.get('user')!, form), (errors) => profileForm(c, form, errors));
    if (!res.ok) return res.response;
    return profileForm(c, null, null, c.get('t')('common.saved'));
  });
}
