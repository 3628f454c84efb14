import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { A4, createPdf, drawTable, fontBytes, numberPages } from '../../src/lib/pdf.js';

/** A PDF as a reader sees it: each page's text and size in points. */
async function readPdf(bytes: Uint8Array) {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: false });
  const sizes: number[][] = [];
  for (let i = 1; i <= pdf.numPages; i++) sizes.push((await pdf.getPage(i)).view);
  return { pages: text as string[], sizes };
}

describe('lib/pdf', () => {
  it('writes Japanese with the embedded Noto Sans JP (names kept as entered, 異体字 included) on A4', async () => {
    const pdf = createPdf({ title: '試験文書' });
    pdf.doc.text('髙﨑 花子 様　協働第123号　令和8年12月1日');
    pdf.doc.font('bold').text('受講決定通知');
    const bytes = await pdf.end();
    const { pages, sizes } = await readPdf(bytes);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('髙﨑 花子 様');
    expect(pages[0]).toContain('協働第123号');
    expect(pages[0]).toContain('令和8年12月1日');
    expect(pages[0]).toContain('受講決定通知');
    expect(sizes[0]).toEqual([0, 0, A4.width, A4.height]);
    // Both weights are embedded (no system font is needed to show it), as subsets: a few KB, not the 5 MB files.
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toMatch(/\/FontName \/[A-Z]{6}\+NotoSansJP-Regular/);
    expect(raw).toMatch(/\/FontName \/[A-Z]{6}\+NotoSansJP-Bold/);
    expect(raw).toContain('/FontFile2');
    expect(fontBytes('regular').length).toBeGreaterThan(4_000_000);
    expect(bytes.length).toBeLessThan(60_000);
  });

  it('breaks a long table across A4 pages, repeating its header, and numbers the pages', async () => {
    const pdf = createPdf({ title: '名簿' });
    const rows = Array.from({ length: 90 }, (_, i) => [String(i + 1), `職員${String(i + 1).padStart(3, '0')}`, `受講者 ${i + 1}`]);
    drawTable(pdf.doc, [{ header: '番号', width: 1, align: 'right' }, { header: '職員番号', width: 2 }, { header: '氏名', width: 3 }], rows);
    numberPages(pdf.doc, (p, n) => `${p} / ${n}`);
    const { pages, sizes } = await readPdf(await pdf.end());
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const [i, page] of pages.entries()) {
      expect(page).toContain('職員番号');
      expect(page).toContain(`${i + 1} / ${pages.length}`);
      expect(sizes[i]).toEqual([0, 0, A4.width, A4.height]);
    }
    const all = pages.join('\n');
    for (const r of rows) expect(all).toContain(r[1]);
  });
});
