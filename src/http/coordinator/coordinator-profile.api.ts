import { deskMembers, setDesk } from '../../services/consultation.service.js';
import { getCoordinatorProfile, saveCoordinatorProfile } from '../../services/coordinator.service.js';
import type { ApiOp } from '../api.js';
import { coordinatorProfileBody, coordinatorProfileOut, deskBody, deskMembersOut, deskOut } from './schema.js';

type Profile = Awaited<ReturnType<typeof getCoordinatorProfile>>['profile'];

const profileJson = (personId: number, p: Profile) => ({
  personId,
  fields: p?.fields ?? [],
  areas: p?.area_unit_ids ?? [],
  availability: p?.availability ?? '',
  introduction: p?.introduction ?? '',
  desk: p?.desk ?? false,
  updatedAt: p ? new Date(p.updated_at).toISOString() : null,
});

/** A coordinator's own profile, and the coordinators' desk membership (admins), as their pages change them. */
export function registerCoordinatorProfileApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/me/coordinator-profile', summary: 'My coordinator profile (coordinators)', access: ['coordinator'], response: coordinatorProfileOut }, async (c) => {
    const me = c.get('user')!;
    return c.json(profileJson(me.id, (await getCoordinatorProfile(c.get('ctx'), me.id)).profile));
  });
  op(
    { method: 'PUT', path: '/api/v1/me/coordinator-profile', summary: 'Save my coordinator profile: fields, areas, availability and introduction (the whole of it; what is left out is emptied)', access: ['coordinator'], body: coordinatorProfileBody, response: coordinatorProfileOut },
    async (c, { body }) => {
      const me = c.get('user')!;
      await saveCoordinatorProfile(c.get('ctx'), me, body);
      return c.json(profileJson(me.id, (await getCoordinatorProfile(c.get('ctx'), me.id)).profile));
    },
  );
  op({ method: 'GET', path: '/api/v1/coordinator-desk', summary: 'The coordinators on the coordinators’ desk (admins)', access: ['admin'], response: deskMembersOut }, async (c) =>
    c.json({ items: (await deskMembers(c.get('ctx'))).map((p) => ({ personId: p.id, name: p.name, kana: p.kana, active: p.active })) }),
  );
  op(
    { method: 'PUT', path: '/api/v1/coordinator-desk/:personId', summary: 'Put a coordinator on the coordinators’ desk or take them off (admins); someone without the coordinator role is refused (422 personId)', access: ['admin'], body: deskBody, response: deskOut },
    async (c, { params, body }) => {
      await setDesk(c.get('ctx'), c.get('user'), { personId: params.personId, desk: body.desk ? 'on' : 'off' });
      return c.json({ personId: params.personId, desk: body.desk });
    },
  );
}
