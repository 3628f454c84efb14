import { readFileSync } from 'node:fs';
import { page } from '../page.js';
import type { Router } from '../router.js';
import { AccessibilityView } from './accessibility.views.js';
import { MANUAL_CHECKS } from './manual-checks.js';
import { type AccessibilityReport, accessibilityReport } from './presenter.js';
import { type AxeResults, axeResultsSchema, type ManualCheck } from './schema.js';

/** Where the report's data comes from: the browser tests' axe results (a file in the repository) and the checks by hand. */
export interface AccessibilitySource {
  results: () => AxeResults | null;
  manual: readonly ManualCheck[];
}

const resultsFile = new URL('./axe-results.json', import.meta.url);

/** Reads axe-results.json once; no outside request. A missing file reads as "no results yet". */
export const repositorySource = (file: URL | string = resultsFile): AccessibilitySource => {
  let cached: AxeResults | null | undefined;
  return {
    results: () => {
      if (cached === undefined) {
        let text: string | null = null;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
        cached = text === null ? null : axeResultsSchema.parse(JSON.parse(text));
      }
      return cached;
    },
    manual: MANUAL_CHECKS,
  };
};

/** The public ウェブアクセシビリティ試験結果 (JIS X 8341-3:2016), linked from every page's footer. */
export function registerAccessibilityPages(r: Router, source: AccessibilitySource = repositorySource()) {
  r.get('/accessibility', 'public', (c) => {
    const t = c.get('t');
    const results = source.results();
    const report: AccessibilityReport | null = results ? accessibilityReport(results, source.manual) : null;
    return page(c, t('accessibility.title'), <AccessibilityView t={t} lang={c.get('lang')} report={report} baseUrl={c.get('ctx').config.baseUrl} />);
  });
}
