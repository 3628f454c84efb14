// exceljs, loaded on first use rather than at start-up (issue 18 §5): it is the heaviest library the app
// loads (130 ms on an idle 2-core machine, 1.5 s under load) and only exports and imports need it.
// `import ExcelJS from './lazy-exceljs.js'` is used exactly like `import ExcelJS from 'exceljs'`.
// The server warms it up after it starts listening (`warmLazyModules`), so a first export does not wait.
import type * as Types from 'exceljs';
import { lazyRequire } from './lazy-require.js';

const ExcelJS = lazyRequire<typeof Types>('exceljs');

// The types a caller writes as `ExcelJS.X` (add the ones you need).
declare namespace ExcelJS {
  export type CellValue = Types.CellValue;
  export type CellFormulaValue = Types.CellFormulaValue;
  export type CellHyperlinkValue = Types.CellHyperlinkValue;
  export type CellErrorValue = Types.CellErrorValue;
  export type Workbook = Types.Workbook;
  export type Worksheet = Types.Worksheet;
  export type Row = Types.Row;
  export type Cell = Types.Cell;
}

export default ExcelJS;
