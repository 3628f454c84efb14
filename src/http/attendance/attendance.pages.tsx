import { formatTokyo } from '../../domain/calendar.js';
import { attendanceOpensAt } from '../../domain/completion.js';
import { fieldMessage } from '../../i18n/index.js';
import { completionTable, kioskCheckIn, markAttendance } from '../../services/completion.service.js';
import { ServiceError } from '../../services/context.js';
import { getOffering, getSession } from '../../services/offering.service.js';
import { readForm, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { KioskLayout } from '../views/kiosk-layout.js';
import { AttendanceRoster, KioskCheckIn, SignInSheet } from './attendance.views.js';

/** Attendance per session: the roster, the paper sign-in sheet, and the kiosk (a tablet at the venue, logged in by the desk). */
export function registerAttendancePages(r: Router) {
  const roster = async (c: Ctx, sessionId: number, notice: string | null = null, status: 200 | 422 = 200, error: { heading: string; text: string } | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const session = await getSession(ctx, sessionId);
    if (!session) return c.notFound();
    const table = await completionTable(ctx, session.offering_id);
    const notStarted = attendanceOpensAt('present', session.starts_at, ctx.now()) !== null;
    return page(
      c,
      t('attendance.title', { title: session.title }),
      <AttendanceRoster t={t} lang={c.get('lang')} csrf={c.get('csrf')} session={session} rows={table.rows} notStarted={notStarted} error={error} />,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: session.title }], notice, status },
    );
  };
  r.get('/admin/sessions/:id/attendance', ['admin'], (c) => roster(c, toId(c.req.param('id'))));
  r.post('/admin/sessions/:id/attendance', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    const entries = Object.entries(form)
      .filter(([k, v]) => k.startsWith('status.') && (v || form.all))
      .map(([k, v]) => ({ applicationId: k.slice(7), status: form.all ? 'present' : String(v) }));
    try {
      const res = await markAttendance(c.get('ctx'), c.get('user'), id, entries);
      return roster(c, id, c.get('t')('attendance.saved', { changed: res.changed }));
    } catch (e) {
      if (!(e instanceof ServiceError) || e.status !== 422) throw e;
      const t = c.get('t');
      const session = await getSession(c.get('ctx'), id);
      // Before the start: say from when it can be recorded, in the reader's language.
      // Not an input error: say why it cannot be recorded yet, and from when.
      const error =
        e.code === 'not_yet' && session
          ? { heading: t('attendance.notYetTitle'), text: t('attendance.notYet', { from: formatTokyo(session.starts_at, c.get('lang'), 'datetime') }) }
          : {
              heading: t('form.errorSummary', { count: Object.keys(e.fields).length || 1 }),
              text: Object.entries(e.fields)
                .map(([f, x]) => fieldMessage(t, f, x.key, x.params))
                .join(' '),
            };
      return roster(c, id, null, 422, error);
    }
  });
  r.get('/admin/sessions/:id/sign-in-sheet', ['admin'], async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const session = await getSession(ctx, toId(c.req.param('id')));
    if (!session) return c.notFound();
    const { rows } = await completionTable(ctx, session.offering_id);
    const offering = (await getOffering(ctx, session.offering_id))!.offering;
    return page(c, t('attendance.sheetTitle', { title: offering.title }), <SignInSheet t={t} lang={c.get('lang')} session={session} rows={rows} />);
  });

  // --- Kiosk (a tablet at the venue, logged in by the desk) ----------------------------------
  const kiosk = async (c: Ctx, sessionId: number, message: { ok: boolean; text: string } | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const session = await getSession(c.get('ctx'), sessionId);
    if (!session) return c.notFound();
    // Participants use this screen: its own layout, without the admin menu; the code field has the focus.
    return c.html(
      <KioskLayout t={t} lang={lang} title={t('kiosk.title', { title: session.title })} path={c.req.path} backHref={`/admin/sessions/${sessionId}/attendance`}>
        <KioskCheckIn t={t} lang={lang} csrf={c.get('csrf')} session={session} message={message} />
      </KioskLayout>,
      message && !message.ok ? 422 : 200,
    );
  };
  r.get('/kiosk/sessions/:id', ['admin'], (c) => kiosk(c, toId(c.req.param('id'))));
  r.post('/kiosk/sessions/:id', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    try {
      const res = await kioskCheckIn(c.get('ctx'), c.get('user'), id, { code: form.code });
      if (res.ok) return kiosk(c, id, { ok: true, text: t('kiosk.ok', { name: res.name, status: t(`attendance.${res.status}`) }) });
      const text =
        res.reason === 'wrong_day'
          ? t('kiosk.wrong_day', { date: formatTokyo(res.startsAt, lang, 'date') })
          : res.reason === 'not_yet'
            ? t('kiosk.not_yet', { from: formatTokyo(res.opensAt, lang, 'time') })
            : t(`kiosk.${res.reason}`);
      return kiosk(c, id, { ok: false, text });
    } catch (e) {
      if (e instanceof ServiceError && e.status === 422) return kiosk(c, id, { ok: false, text: t('kiosk.unknown') });
      throw e;
    }
  });
}
