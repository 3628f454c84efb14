// pdfkit, loaded on first use rather than at start-up (issue 18 §5; 0.6 s to import under load): only
// the PDF routes need it. `import PDFDocument from './lazy-pdfkit.js'` is used exactly like
// `import PDFDocument from 'pdfkit'` (`new PDFDocument(...)`; the `PDFKit.*` types are global).
// The server warms it up after it starts listening (`warmLazyModules`).
import { lazyRequire } from './lazy-require.js';

const PDFDocument = lazyRequire<typeof import('pdfkit')>('pdfkit');
export default PDFDocument;
