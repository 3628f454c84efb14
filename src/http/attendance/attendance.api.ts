import { markAttendance } from '../../services/completion.service.js';
import type { ApiOp } from '../api.js';
import { attendanceBody, attendanceOut } from './schema.js';

/** Attendance in bulk for one session: a mark before the session starts is refused (422 not_yet) unless it is 公務等. */
export function registerAttendanceApi(op: ApiOp) {
  op(
    { method: 'PUT', path: '/api/v1/sessions/:id/attendance', summary: 'Mark attendance for a session in bulk', access: ['admin'], body: attendanceBody, response: attendanceOut },
    async (c, { body, params }) => c.json(await markAttendance(c.get('ctx'), c.get('user'), params.id, body, 'api')),
  );
}
