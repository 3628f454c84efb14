import QRCode from 'qrcode';
import type { Translate } from '../../i18n/index.js';
import { A4, bottom, contentWidth, createPdf, drawTable, numberPages, type PdfDoc } from '../../lib/pdf.js';
import type { CertificateSheetData, NoticeSheet, TableSheet } from './presenter.js';

/** The office's paper as A4 PDFs, drawn from the same sheets as the print pages (presenter.ts). */

const pageLabel = (t: Translate) => (page: number, pages: number) => t('paper.page', { page, pages });

/** One notice from the top of a page: number and date (right), 宛名, sender, subject, lead, 記 with its items, 以上, 問い合わせ先. */
function drawNotice(doc: PdfDoc, n: NoticeSheet, t: Translate) {
  const w = contentWidth(doc);
  const left = doc.page.margins.left;
  doc.font('regular').fontSize(10.5);
  doc.text(n.number, { align: 'right' });
  doc.text(n.date, { align: 'right' });
  doc.moveDown(1);
  doc.fontSize(12).text(n.addressee, left);
  doc.moveDown(1);
  doc.fontSize(10.5).text(n.senderName, { align: 'right' });
  doc.text(n.senderOffice, { align: 'right' });
  doc.moveDown(1.5);
  doc.font('bold').fontSize(13).text(n.subject, left, doc.y, { align: 'center', width: w });
  doc.moveDown(1);
  doc.font('regular').fontSize(10.5).text(n.lead, { indent: 10.5 });
  doc.moveDown(0.8);
  doc.text(t('paper.record'), { align: 'center' });
  doc.moveDown(0.5);
  const labelWidth = 110;
  n.items.forEach((item, i) => {
    const y = doc.y;
    doc.font('bold').text(`${i + 1}　${item.label}`, left, y, { width: labelWidth });
    doc.font('regular');
    let end = doc.y;
    doc.y = y;
    for (const line of item.lines) doc.text(line, left + labelWidth, doc.y, { width: w - labelWidth });
    end = Math.max(end, doc.y);
    doc.x = left;
    doc.y = end + 4;
  });
  if (n.participants) {
    doc.moveDown(0.5);
    doc.font('bold').text(n.participants.caption, left);
    doc.moveDown(0.3);
    drawTable(doc, [{ header: n.participants.columns[0], width: 0.6, align: 'right' }, { header: n.participants.columns[1], width: 1.2 }, { header: n.participants.columns[2], width: 1.6 }, { header: n.participants.columns[3], width: 1.8 }, { header: n.participants.columns[4], width: 1 }, { header: n.participants.columns[5], width: 1.3 }], n.participants.rows);
  }
  doc.moveDown(0.5);
  doc.font('regular').fontSize(10.5).text(t('paper.end'), left, doc.y, { align: 'right', width: w });
  // The contact sits at the foot of the notice's last page.
  const contactY = Math.max(doc.y + 12, bottom(doc) - 36);
  if (contactY + 24 > bottom(doc)) doc.addPage();
  doc.rect(left + w / 2 - 20, Math.min(contactY, bottom(doc) - 36) - 4, w / 2 + 20, 32).stroke('#000000');
  doc.fontSize(9.5).text(n.contact, left + w / 2 - 14, Math.min(contactY, bottom(doc) - 36), { width: w / 2 + 8 });
}

/** Notices, each from the top of a new page (a unit's long list runs on). */
export async function noticesPdf(t: Translate, lang: 'ja' | 'en', title: string, notices: readonly NoticeSheet[]): Promise<Buffer> {
  const pdf = createPdf({ title, lang, author: notices[0]?.senderOffice });
  notices.forEach((n, i) => {
    if (i > 0) pdf.doc.addPage();
    drawNotice(pdf.doc, n, t);
  });
  if (!notices.length) pdf.doc.fontSize(10.5).text(t('paper.emptyNotices'));
  // Each notice is its own document: no page numbers running across the batch.
  return pdf.end();
}

/** The 受講者名簿: heading, the offering's facts, the ruled table (header repeated per page), page numbers. */
export async function rosterPdf(t: Translate, lang: 'ja' | 'en', heading: string, facts: readonly string[], sheet: TableSheet): Promise<Buffer> {
  const pdf = createPdf({ title: heading, lang });
  const { doc } = pdf;
  doc.font('bold').fontSize(14).text(heading, { align: 'center' });
  doc.moveDown(0.5);
  doc.font('regular').fontSize(9.5);
  for (const f of facts) doc.text(f);
  doc.moveDown(0.3);
  doc.text(sheet.caption);
  doc.moveDown(0.3);
  drawTable(
    doc,
    [
      { header: sheet.columns[0], width: 0.55, align: 'right' },
      { header: sheet.columns[1], width: 1.1 },
      { header: sheet.columns[2], width: 1.5 },
      { header: sheet.columns[3], width: 1.7 },
      { header: sheet.columns[4], width: 1.8 },
      { header: sheet.columns[5], width: 0.9 },
      { header: sheet.columns[6], width: 1 },
    ],
    sheet.rows,
  );
  numberPages(doc, pageLabel(t));
  return pdf.end();
}

/** A 修了証 on one A4 page inside a double frame, with the QR code of its public verification. */
export async function certificatePdf(t: Translate, lang: 'ja' | 'en', s: CertificateSheetData): Promise<Buffer> {
  const pdf = createPdf({ title: `${s.title} ${s.certificateNumber}`, lang, author: s.issuer });
  const { doc } = pdf;
  const m = 28;
  doc.lineWidth(3).rect(m, m, A4.width - 2 * m, A4.height - 2 * m).stroke('#000000');
  doc.lineWidth(1).rect(m + 6, m + 6, A4.width - 2 * m - 12, A4.height - 2 * m - 12).stroke('#000000');
  const left = doc.page.margins.left + 14;
  const w = contentWidth(doc) - 28;
  doc.font('regular').fontSize(10.5).text(s.number, left, 80, { width: w, align: 'right' });
  doc.text(s.certificateNumber, left, doc.y, { width: w, align: 'right' });
  doc.font('bold').fontSize(36).text(lang === 'ja' ? s.title.split('').join('　') : s.title, left, 170, { width: w, align: 'center' });
  doc.font('regular').fontSize(22).text(s.name, left, 280, { width: w, align: 'left' });
  doc.fontSize(15).text(s.body, left, 350, { width: w, lineGap: 10 });
  doc.moveDown(1.5);
  doc.fontSize(12);
  for (const f of s.facts) doc.text(`${f.label}　${f.value}`, left, doc.y, { width: w });
  doc.fontSize(13).text(s.date, left, 590, { width: w });
  doc.fontSize(18).text(s.issuer, left, 630, { width: w, align: 'right' });
  const qr = await QRCode.toBuffer(s.verifyUrl, { type: 'png', margin: 1, errorCorrectionLevel: 'M', width: 160 });
  doc.image(qr, left, 700, { width: 64, height: 64 });
  doc.fontSize(8.5).text(s.verify, left + 76, 716, { width: w - 76 });
  if (s.revoked) doc.fillColor('#b00020').fontSize(12).text(s.revoked, left, 250, { width: w, align: 'center' }).fillColor('#000000');
  return pdf.end();
}
