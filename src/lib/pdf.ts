import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from './lazy-pdfkit.js';

/**
 * Server-side PDFs on A4 with an embedded Japanese font (decision 0021): pdfkit draws, and Noto Sans JP
 * (Regular and Bold, from the npm package @expo-google-fonts/noto-sans-jp, so `npm ci` installs it and
 * no system font is needed) is embedded as a subset of the glyphs used. Layouts live with their pages;
 * this module gives the document, its fonts, a table that breaks across pages, and page numbers.
 */

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
} as const;
export type FontWeight = keyof typeof FONT_FILES;

const fontCache = new Map<FontWeight, Buffer>();
/** The font file's bytes, read once per process (about 5 MB each). */
export function fontBytes(weight: FontWeight): Buffer {
  let b = fontCache.get(weight);
  if (!b) {
    b = readFileSync(require.resolve(FONT_FILES[weight]));
    fontCache.set(weight, b);
  }
  return b;
}

/** A4 in PDF points (1/72 inch): 210 × 297 mm. */
export const A4 = { width: 595.28, height: 841.89 } as const;
/** 20 mm margins. */
export const MARGIN = 56.69;

export type PdfDoc = PDFKit.PDFDocument;

export interface Pdf {
  doc: PdfDoc;
  /** Ends the document and gives its bytes. */
  end(): Promise<Buffer>;
}

/** A new A4 portrait document with the Japanese fonts registered as 'regular' and 'bold' ('regular' selected). */
export function createPdf(meta: { title: string; author?: string; subject?: string; lang?: string }): Pdf {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    lang: meta.lang === 'en' ? 'en' : 'ja-JP',
    displayTitle: true,
    info: { Title: meta.title, Author: meta.author ?? '', Subject: meta.subject ?? '', Creator: 'Kyodo', Producer: 'Kyodo (pdfkit)' },
  });
  doc.registerFont('regular', fontBytes('regular'));
  doc.registerFont('bold', fontBytes('bold'));
  doc.font('regular');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return {
    doc,
    end() {
      doc.end();
      return done;
    },
  };
}

/** The width between the margins. */
export function contentWidth(doc: PdfDoc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** The lowest y a line may use on the page. */
export function bottom(doc: PdfDoc): number {
  return doc.page.height - doc.page.margins.bottom;
}

export interface TableColumn {
  header: string;
  /** Share of the content width (the shares are scaled to fill it). */
  width: number;
  align?: 'left' | 'center' | 'right';
}

/**
 * A ruled table from the current position: header row in bold (repeated on each new page), each cell
 * wrapped within its column, a row never split across pages.
 */
export function drawTable(doc: PdfDoc, columns: readonly TableColumn[], rows: readonly (readonly string[])[], opts: { fontSize?: number; padding?: number } = {}): void {
  const size = opts.fontSize ?? 9.5;
  const pad = opts.padding ?? 4;
  const left = doc.page.margins.left;
  const total = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * contentWidth(doc));
  const heightOf = (cells: readonly string[], font: 'regular' | 'bold') => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((text, i) => doc.heightOfString(text || ' ', { width: widths[i] - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: readonly string[], font: 'regular' | 'bold', shade: boolean) => {
    const h = heightOf(cells, font);
    const y = doc.y;
    let x = left;
    cells.forEach((text, i) => {
      if (shade) doc.rect(x, y, widths[i], h).fillAndStroke('#eeeeee', '#000000');
      else doc.rect(x, y, widths[i], h).stroke('#000000');
      doc.fillColor('#000000').font(font).fontSize(size).text(text, x + pad, y + pad, { width: widths[i] - 2 * pad, align: columns[i].align ?? 'left', lineBreak: true });
      x += widths[i];
    });
    doc.x = left;
    doc.y = y + h;
  };
  const header = columns.map((c) => c.header);
  doc.lineWidth(0.6);
  drawRow(header, 'bold', true);
  for (const row of rows) {
    if (doc.y + heightOf(row, 'regular') > bottom(doc)) {
      doc.addPage();
      drawRow(header, 'bold', true);
    }
    drawRow(row, 'regular', false);
  }
  doc.font('regular');
}

/** Writes each page's number at its foot (e.g. 「1 / 3」), after the content is laid out. */
export function numberPages(doc: PdfDoc, label: (page: number, pages: number) => string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const m = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(8.5).fillColor('#000000').text(label(i - range.start + 1, range.count), doc.page.margins.left, doc.page.height - m / 2 - 4, { width: contentWidth(doc), align: 'center', lineBreak: false });
    doc.page.margins.bottom = m;
  }
}
