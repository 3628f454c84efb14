import { formatFiscalYear } from '../../domain/calendar.js';
import type { Lang, Translate } from '../../i18n/index.js';
import { certificatePaper, decisionNotice, decisionNotices, offeringRoster, unitNotices } from '../../services/paper.service.js';
import { toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { certificatePdf, noticesPdf, rosterPdf } from './paper.pdf.js';
import { NoticesPrint, PaperMenu, RosterPrint } from './paper.views.js';
import { certificateSheet, personNoticeSheet, rosterSheet, unitNoticeSheet } from './presenter.js';

/**
 * The office's paper (issue 16 §3), each as an A4 print page and as a PDF made on the server: the
 * 受講者名簿, the 受講決定通知 per person and per 所属, and the 修了証 as PDF (its print page is
 * /certificates/:number). A participant prints their own notice.
 */
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
    const id = toId(c.req.param('id'));
    const roster = await offeringRoster(c.get('ctx'), id, 'confirmed');
    const units = new Set(roster.rows.map((x) => x.unitId)).size;
    return page(c, `${t('paper.title')}：${roster.offering.title}`, <PaperMenu t={t} paper={roster} confirmed={roster.rows.length} units={units} />, {
      crumbs: crumbs(t, id, roster.offering.title, t('paper.title')),
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

  const personNotices = async (c: Ctx, id: number) => {
    const t = c.get('t');
    const d = await decisionNotices(c.get('ctx'), c.get('user')!, id);
    return { d, sheets: d.notices.map((n) => personNoticeSheet(t, c.get('lang'), d, n, d.issuer)) };
  };
  r.get('/admin/offerings/:id/notices', ['admin'], async (c) => {
    const t = c.get('t');
    const id = toId(c.req.param('id'));
    const { d, sheets } = await personNotices(c, id);
    return page(c, `${t('paper.noticesPerson')}：${d.offering.title}`, <NoticesPrint t={t} notices={sheets} pdfHref={`/admin/offerings/${id}/notices.pdf`} pdfLabel={t('paper.pdfOf', { what: t('paper.noticesPerson') })} />, {
      crumbs: crumbs(t, id, d.offering.title, t('paper.noticesPerson')),
    });
  });
  r.get('/admin/offerings/:id/notices.pdf', ['admin'], async (c) => {
    const t = c.get('t');
    const id = toId(c.req.param('id'));
    const { d, sheets } = await personNotices(c, id);
    return pdf(c, await noticesPdf(t, c.get('lang'), `${t('paper.noticesPerson')}：${d.offering.title}`, sheets), `notices-${id}.pdf`);
  });

  const perUnit = async (c: Ctx, id: number) => {
    const t = c.get('t');
    const d = await unitNotices(c.get('ctx'), c.get('user')!, id);
    return { d, sheets: d.notices.map((n) => unitNoticeSheet(t, c.get('lang'), d, n, d.issuer)) };
  };
  r.get('/admin/offerings/:id/unit-notices', ['admin'], async (c) => {
    const t = c.get('t');
    const id = toId(c.req.param('id'));
    const { d, sheets } = await perUnit(c, id);
    return page(c, `${t('paper.noticesUnit')}：${d.offering.title}`, <NoticesPrint t={t} notices={sheets} pdfHref={`/admin/offerings/${id}/unit-notices.pdf`} pdfLabel={t('paper.pdfOf', { what: t('paper.noticesUnit') })} />, {
      crumbs: crumbs(t, id, d.offering.title, t('paper.noticesUnit')),
    });
  });
  r.get('/admin/offerings/:id/unit-notices.pdf', ['admin'], async (c) => {
    const t = c.get('t');
    const id = toId(c.req.param('id'));
    const { d, sheets } = await perUnit(c, id);
    return pdf(c, await noticesPdf(t, c.get('lang'), `${t('paper.noticesUnit')}：${d.offering.title}`, sheets), `unit-notices-${id}.pdf`);
  });

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
