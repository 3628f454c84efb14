import { z } from 'zod';
import { query } from '../api.js';

const KINDS = ['people', 'units', 'history', 'partners', 'roster'] as const;

/** What an upload is: the kind of list (and for a roster, its offering) and the file's name. */
export const importUploadQuery = z.object({
  kind: z.enum(KINDS, { message: 'error.choice' }).describe('people | units | history | partners | roster (受講者名簿: needs offering)'),
  offering: query.id('roster only: the offering whose participants the file lists'),
  filename: query.text('the file’s name, for a CSV or xlsx sent as the body (a multipart file carries its own)', 200),
});

const int = () => z.number().int();
const importError = z.object({ line: int().describe('the file’s line (Excel’s row number); 1 is the header, 0 the whole import'), field: z.string().nullable(), message: z.string().describe('in the caller’s language, naming the column') });

export const importJobOut = z.object({
  id: int(),
  kind: z.enum(KINDS),
  offeringId: int().nullable(),
  filename: z.string(),
  encoding: z.string().nullable().describe('xlsx, utf-8, shift_jis …'),
  status: z.enum(['preview', 'running', 'done', 'failed', 'discarded']),
  totalRows: int().describe('rows that will be (or were) imported'),
  processedRows: int().describe('rows written so far while running'),
  percent: int(),
  canApply: z.boolean().describe('a preview without errors'),
  errors: z.array(importError).describe('row by row; a preview with any cannot be applied'),
  updates: int().nullable().describe('people rows that change someone already registered, as previewed (people only)'),
  unchanged: int().nullable().describe('people rows that match someone registered and change nothing: not written (people only)'),
  outcome: z
    .object({ created: int(), updated: int(), unchanged: int() })
    .nullable()
    .describe('what an applied people import did: people added, people changed, rows that changed nothing (null before it is applied, and for other kinds)'),
  rows: z.array(z.record(z.string(), z.unknown())).nullable().describe('the first 100 rows to be imported, as read (null while running)'),
  createdAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  statusUrl: z.string(),
});
export const importDiscardOut = z.object({ id: int(), status: z.literal('discarded') });
