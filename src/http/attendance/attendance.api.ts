import { kioskCheckIn, markAttendance } from '../../services/completion.service.js';
import type { ApiOp } from '../api.js';
import { attendanceBody, attendanceOut, checkInBody, checkInOut } from './schema.js';

/** Attendance in bulk for one session: a mark before the session starts is refused (422 not_yet) unless it is 公務等. */
export function registerAttendanceApi(op: ApiOp) {
  op(
    { method: 'PUT', path: '/api/v1/sessions/:id/attendance', summary: 'Mark attendance for a session in bulk', access: ['admin'], body: attendanceBody, response: attendanceOut },
    async (c, { body, params }) => c.json(await markAttendance(c.get('ctx'), c.get('user'), params.id, body, 'api')),
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/sessions/:id/check-in',
      summary: "Check a participant in by their code, as the kiosk does: on the session's day, from 30 minutes before the start; late after 15 minutes",
      access: ['admin'],
      body: checkInBody,
      response: checkInOut,
    },
    async (c, { params, body }) => {
      const r = await kioskCheckIn(c.get('ctx'), c.get('user'), params.id, body);
      if (r.ok) return c.json(r);
      if (r.reason === 'wrong_day') return c.json({ ok: false, reason: r.reason, startsAt: r.startsAt.toISOString() });
      if (r.reason === 'not_yet') return c.json({ ok: false, reason: r.reason, opensAt: r.opensAt.toISOString() });
      return c.json({ ok: false, reason: r.reason });
    },
  );
}
