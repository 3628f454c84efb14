import { formatFiscalYear, formatWareki, tokyoDateOf } from '../../domain/calendar.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { invalid } from '../../services/context.js';
import { certificatePaper, decisionNotice, decisionNotices, issueNotices, type NoticeSet, offeringRoster, unitNotices } from '../../services/paper.service.js';
import { type FormBody, formAction, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { certificatePdf, noticesPdf, rosterPdf } from './paper.pdf.js';
import { NoticesPrint, PaperMenu, RosterPrint } from './paper.views.js';
import { certificateSheet, personNoticeSheet, rosterSheet, unitNoticeSheet } from './presenter.js';

/**
 * The office's paper (issue 16 §3), each as an A4 print page and as a PDF made on the server: the
 * 受講者名簿, the 受講決定通知 per person and per 所属, and the 修了証 as PDF (its print page is
 * /certificates/:number). A participant prints their own notice. No GET here numbers a notice: the
 * office issues them with a confirmed POST.
 */
const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const confirmed = (body: FormBody) => body.confirm === 'on';

/** After an issue (?issued=n): how many notices were numbered, or that none was left to number. */
function issuedNotice(c: Ctx): string | null {
  const q = c.req.query('issued');
  if (q === undefined || !/^\d{1,6}$/.test(q)) return null;
  const count = Number(q);
  return count ? c.get('t')('paper.issued', { count }) : c.get('t')('paper.nothingToIssue');
}

export function registerPaperPages(r: Router) {
  const pdf = (c: Ctx, bytes: Buffer, name: string) =>
    c.body(new Uint8Array(bytes), 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${name}"`, 'Cache-Control': 'no-store' });
  const crumbs = (t: Translate, id: number, title: string, last: string) => [
    { label: t('nav.home'), href: '/' },
    { label: t('nav.offerings'), href: '/admin/offerings' },
    { label: title, href: `/admin/offerings/${id}` },
    ...(last === t('paper.title') ? [] : [{ label: t('paper.title'), href: `/admin/offerings/${id}/paper` }]),
    { label: last },
  ];
  const offeringFacts = (t: Translate, lang: Lang, r: Awaited<ReturnType<typeof offeringRoster>>) => [`${r.programme.name} ／ ${formatFiscalYear(r.offering.fiscal_year, lang)}`, t('paper.rosterNote')];

  r.get('/admin/offerings/:id/paper', ['admin'], async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const id = toId(c.req.param('id'));
    // Reads only: the menu counts the notices, and those not issued yet.
    const [person, unit] = await Promise.all([decisionNotices(ctx, id), unitNotices(ctx, id)]);
    const counts = (d: { notices: unknown[]; unissued: number }) => ({ count: d.notices.length, unissued: d.unissued });
    return page(c, `${t('paper.title')}：${person.offering.title}`, <PaperMenu t={t} paper={person} person={counts(person)} unit={counts(unit)} />, {
      crumbs: crumbs(t, id, person.offering.title, t('paper.title')),
    });
  });

  r.get('/admin/offerings/:id/roster', ['admin'], async (c) => {
    const t = c.get('t');
    const id = toId(c.req.param('id'));
    const roster = await offeringRoster(c.get('ctx'), id);
    return page(c, t('paper.rosterOf', { title: roster.offering.title }), <RosterPrint t={t} lang={c.get('lang')} paper={roster} sheet={rosterSheet(t, roster.rows)} pdfHref={`/admin/offerings/${id}/roster.pdf`} />, {
      crumbs: crumbs(t, id, roster.offering.title, t('paper.roster')),
    });
  });
  r.get('/admin/offerings/:id/roster.pdf', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const id = toId(c.req.param('id'));
    const roster = await offeringRoster(c.get('ctx'), id);
    return pdf(c, await rosterPdf(t, lang, t('paper.rosterOf', { title: roster.offering.title }), offeringFacts(t, lang, roster), rosterSheet(t, roster.rows)), `roster-${id}.pdf`);
  });

  // 受講決定通知 per person (notices) and per 所属 (unit-notices): the print view and the PDF only read,
  // and show a notice not issued yet with blanks for its number and date; the office issues them with
  // a confirmed POST to …/issue, which numbers exactly those not issued yet (paper.service issueNotices).
  const sets = {
    person: {
      path: 'notices',
      title: 'paper.noticesPerson',
      load: async (c: Ctx, id: number) => {
        const d = await decisionNotices(c.get('ctx'), id);
        return { d, sheets: d.notices.map((n) => personNoticeSheet(c.get('t'), c.get('lang'), d, n, d.issuer)) };
      },
    },
    unit: {
      path: 'unit-notices',
      title: 'paper.noticesUnit',
      load: async (c: Ctx, id: number) => {
        const d = await unitNotices(c.get('ctx'), id);
        return { d, sheets: d.notices.map((n) => unitNoticeSheet(c.get('t'), c.get('lang'), d, n, d.issuer)) };
      },
    },
  } as const;
  for (const [set, s] of Object.entries(sets) as [NoticeSet, (typeof sets)[NoticeSet]][]) {
    // Shown again after a refusal, the box is not ticked: a changed count is confirmed afresh.
    const printView = async (c: Ctx, id: number, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) => {
      const t = c.get('t');
      const ctx = c.get('ctx');
      const { d, sheets } = await s.load(c, id);
      const base = `/admin/offerings/${id}/${s.path}`;
      const issue = { action: `${base}/issue`, csrf: c.get('csrf'), unissued: d.unissued, today: formatWareki(tokyoDateOf(ctx.now()), c.get('lang')), errors, done: status === 200 ? issuedNotice(c) : null };
      return page(c, `${t(s.title)}：${d.offering.title}`, <NoticesPrint t={t} notices={sheets} pdfHref={`${base}.pdf`} pdfLabel={t('paper.pdfOf', { what: t(s.title) })} issue={issue} />, {
        crumbs: crumbs(t, id, d.offering.title, t(s.title)),
        status,
      });
    };
    r.get(`/admin/offerings/:id/${s.path}`, ['admin'], (c) => printView(c, toId(c.req.param('id'))));
    r.get(`/admin/offerings/:id/${s.path}.pdf`, ['admin'], async (c) => {
      const t = c.get('t');
      const id = toId(c.req.param('id'));
      const { d, sheets } = await s.load(c, id);
      return pdf(c, await noticesPdf(t, c.get('lang'), `${t(s.title)}：${d.offering.title}`, sheets), `${s.path}-${id}.pdf`);
    });
    r.post(`/admin/offerings/:id/${s.path}/issue`, ['admin'], (c) => {
      const id = toId(c.req.param('id'));
      return formAction(c, {
        run: async (body) => {
          if (!confirmed(body)) throw invalid({ confirm: { key: 'paper.issueConfirmMissing' } });
          // The count the officer saw on the button; without one (another client), whatever is unissued.
          const count = str(body.count).trim();
          return issueNotices(c.get('ctx'), c.get('user'), id, set, /^\d{1,6}$/.test(count) ? Number(count) : undefined);
        },
        invalid: (_body, errors, status) => printView(c, id, errors, status === 409 ? 409 : 422),
        done: (r) => `/admin/offerings/${id}/${s.path}?issued=${r.issued}`,
      });
    });
  }

  // A participant's own notice (the office may open anyone's): print page and PDF.
  const ownNotice = async (c: Ctx, id: number) => {
    const d = await decisionNotice(c.get('ctx'), c.get('user')!, id);
    return { d, sheet: personNoticeSheet(c.get('t'), c.get('lang'), d, d.notices[0], d.issuer) };
  };
  r.get('/my/applications/:id/notice', 'user', async (c) => {
    const t = c.get('t');
    const id = toId(c.req.param('id'));
    const { sheet } = await ownNotice(c, id);
    return page(c, t('notice.title'), <NoticesPrint t={t} notices={[sheet]} pdfHref={`/my/applications/${id}/notice.pdf`} pdfLabel={t('paper.noticePdf')} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('my.title'), href: '/my/trainings' }, { label: t('applications.detailTitle'), href: `/my/applications/${id}` }, { label: t('notice.title') }],
    });
  });
  r.get('/my/applications/:id/notice.pdf', 'user', async (c) => {
    const t = c.get('t');
    const id = toId(c.req.param('id'));
    const { d, sheet } = await ownNotice(c, id);
    return pdf(c, await noticesPdf(t, c.get('lang'), `${t('notice.title')}：${d.offering.title}`, [sheet]), `notice-${id}.pdf`);
  });

  r.get('/certificates/:number/certificate.pdf', 'user', async (c) => {
    const ctx = c.get('ctx');
    const p = await certificatePaper(ctx, c.get('user')!, c.req.param('number') ?? '');
    return pdf(c, await certificatePdf(c.get('t'), c.get('lang'), certificateSheet(c.get('t'), c.get('lang'), p, ctx.config.baseUrl)), `certificate-${p.cert.number}.pdf`);
  });
}
