import { z } from 'zod';
import { toId } from '../forms.js';
import { ATTENDANCE_STATUSES } from '../../domain/completion.js';
import { certificatesForPerson, markAttendance, verifyCertificate } from '../../services/completion.service.js';
import { coordinatorDirectory } from '../../services/coordinator.service.js';
import { apiError } from '../api-errors.js';
import type { ApiOp } from './api.routes.js';

const certificateOut = z.object({
  number: z.string(),
  name: z.string(),
  programme: z.string(),
  completedOn: z.string(),
  validUntil: z.string().nullable(),
  status: z.enum(['valid', 'expired', 'revoked']),
});

export function registerCompletionApi(op: ApiOp) {
  op(
    {
      method: 'PUT',
      path: '/api/v1/sessions/:id/attendance',
      summary: 'Mark attendance for a session in bulk',
      access: ['admin'],
      body: z.array(z.object({ personId: z.number().int(), status: z.enum(ATTENDANCE_STATUSES) })),
      response: z.object({ changed: z.number().int() }),
    },
    async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return apiError(c, 400, 'bad_request', c.get('t')('error.badRequest'));
      }
      if (!Array.isArray(body)) return apiError(c, 400, 'bad_request', c.get('t')('error.badRequest'));
      const r = await markAttendance(c.get('ctx'), c.get('user'), toId(c.req.param('id')), body, 'api');
      return c.json(r);
    },
  );
  op(
    { method: 'GET', path: '/api/v1/people/:id/certificates', summary: "A person's certificates (their own, or anyone's for an admin)", access: 'user', response: z.object({ items: z.array(z.object({ number: z.string(), title: z.string(), completedOn: z.string(), validUntil: z.string().nullable(), revoked: z.boolean() })) }) },
    async (c) => {
      const id = toId(c.req.param('id'));
      const u = c.get('user')!;
      if (u.id !== id && !u.roles.includes('admin')) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      const rows = await certificatesForPerson(c.get('ctx'), id);
      return c.json({ items: rows.map((r) => ({ number: r.number, title: r.title, programme: r.programme_name, completedOn: r.completed_on, validUntil: r.valid_until, revoked: !!r.revoked_at })) });
    },
  );
  op({ method: 'GET', path: '/api/v1/certificates/:number', summary: 'Verify a certificate (public: number, name, programme, date, validity only)', access: 'public', response: certificateOut }, async (c) => {
    const v = await verifyCertificate(c.get('ctx'), (c.req.param('number') ?? '').slice(0, 40));
    if (!v) return apiError(c, 404, 'not_found', c.get('t')('verify.notFound'));
    return c.json(v);
  });
  op({ method: 'GET', path: '/api/v1/coordinators', summary: 'The coordinator directory (staff only)', access: ['staff', 'approver', 'coordinator'], query: { q: 'search words', area: 'municipality unit id' } }, async (c) => {
    const admin = c.get('user')!.roles.includes('admin');
    const rows = await coordinatorDirectory(c.get('ctx'), {
      q: c.req.query('q')?.slice(0, 100),
      areaId: (toId(c.req.query('area')) || undefined),
      statuses: admin ? ['active', 'expiring', 'expired'] : ['active', 'expiring'],
    });
    return c.json({ items: rows.map(({ email, ...r }) => ({ ...r, email })) });
  });
}
