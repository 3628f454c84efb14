import { z } from 'zod';

/**
 * The results file written by the browser tests (tests/e2e/browser.ts, with KYODO_AXE_RECORD=1) and the list of
 * checks done by hand. Read at start-up: a file that does not have this shape stops the page from being served
 * with wrong figures.
 */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const criterion = z.string().regex(/^\d\.\d\.\d{1,2}$/);

export const axeResultsSchema = z.object({
  tool: z.string(),
  /** Test file → the date (Asia/Tokyo) it last ran. */
  runs: z.record(z.string(), date),
  /** Every axe rule that ran, with the WCAG success criteria its tags name. */
  rules: z.record(z.string(), z.object({ criteria: z.array(criterion), help: z.string() })),
  pages: z.array(
    z.object({
      file: z.string(),
      label: z.string(),
      path: z.string().startsWith('/'),
      title: z.string(),
      viewport: z.string(),
      violations: z.array(z.object({ rule: z.string(), impact: z.string().nullable(), nodes: z.number().int().nonnegative() })),
      passes: z.array(z.string()),
      incomplete: z.array(z.string()),
    }),
  ),
});
export type AxeResults = z.infer<typeof axeResultsSchema>;

export const manualCheckSchema = z.object({
  criteria: z.array(criterion).min(1),
  check: z.object({ ja: z.string().min(1), en: z.string().min(1) }),
  /** How: by a person, or by a browser test other than axe (the keyboard journeys). */
  by: z.enum(['hand', 'browser-test']),
  result: z.enum(['pass', 'fail', 'na']),
  date,
});
export type ManualCheck = z.infer<typeof manualCheckSchema>;
export const manualChecksSchema = z.array(manualCheckSchema);
