/**
 * The success criteria of WCAG 2.1 at levels A and AA, in order. `since: '2.0'` are those of WCAG 2.0, which
 * JIS X 8341-3:2016 adopts as they are (its conformance claim counts these); `'2.1'` are WCAG 2.1's additions,
 * reported for reference. Their names are in the catalogues under accessibility.sc.<number>.
 */
export interface SuccessCriterion {
  id: string;
  level: 'A' | 'AA';
  since: '2.0' | '2.1';
}

export const SUCCESS_CRITERIA: readonly SuccessCriterion[] = [
  { id: '1.1.1', level: 'A', since: '2.0' },
  { id: '1.2.1', level: 'A', since: '2.0' },
  { id: '1.2.2', level: 'A', since: '2.0' },
  { id: '1.2.3', level: 'A', since: '2.0' },
  { id: '1.2.4', level: 'AA', since: '2.0' },
  { id: '1.2.5', level: 'AA', since: '2.0' },
  { id: '1.3.1', level: 'A', since: '2.0' },
  { id: '1.3.2', level: 'A', since: '2.0' },
  { id: '1.3.3', level: 'A', since: '2.0' },
  { id: '1.3.4', level: 'AA', since: '2.1' },
  { id: '1.3.5', level: 'AA', since: '2.1' },
  { id: '1.4.1', level: 'A', since: '2.0' },
  { id: '1.4.2', level: 'A', since: '2.0' },
  { id: '1.4.3', level: 'AA', since: '2.0' },
  { id: '1.4.4', level: 'AA', since: '2.0' },
  { id: '1.4.5', level: 'AA', since: '2.0' },
  { id: '1.4.10', level: 'AA', since: '2.1' },
  { id: '1.4.11', level: 'AA', since: '2.1' },
  { id: '1.4.12', level: 'AA', since: '2.1' },
  { id: '1.4.13', level: 'AA', since: '2.1' },
  { id: '2.1.1', level: 'A', since: '2.0' },
  { id: '2.1.2', level: 'A', since: '2.0' },
  { id: '2.1.4', level: 'A', since: '2.1' },
  { id: '2.2.1', level: 'A', since: '2.0' },
  { id: '2.2.2', level: 'A', since: '2.0' },
  { id: '2.3.1', level: 'A', since: '2.0' },
  { id: '2.4.1', level: 'A', since: '2.0' },
  { id: '2.4.2', level: 'A', since: '2.0' },
  { id: '2.4.3', level: 'A', since: '2.0' },
  { id: '2.4.4', level: 'A', since: '2.0' },
  { id: '2.4.5', level: 'AA', since: '2.0' },
  { id: '2.4.6', level: 'AA', since: '2.0' },
  { id: '2.4.7', level: 'AA', since: '2.0' },
  { id: '2.5.1', level: 'A', since: '2.1' },
  { id: '2.5.2', level: 'A', since: '2.1' },
  { id: '2.5.3', level: 'A', since: '2.1' },
  { id: '2.5.4', level: 'A', since: '2.1' },
  { id: '3.1.1', level: 'A', since: '2.0' },
  { id: '3.1.2', level: 'AA', since: '2.0' },
  { id: '3.2.1', level: 'A', since: '2.0' },
  { id: '3.2.2', level: 'A', since: '2.0' },
  { id: '3.2.3', level: 'AA', since: '2.0' },
  { id: '3.2.4', level: 'AA', since: '2.0' },
  { id: '3.3.1', level: 'A', since: '2.0' },
  { id: '3.3.2', level: 'A', since: '2.0' },
  { id: '3.3.3', level: 'AA', since: '2.0' },
  { id: '3.3.4', level: 'AA', since: '2.0' },
  { id: '4.1.1', level: 'A', since: '2.0' },
  { id: '4.1.2', level: 'A', since: '2.0' },
  { id: '4.1.3', level: 'AA', since: '2.1' },
];
