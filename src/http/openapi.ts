import { z } from 'zod';
import type { MessageKey } from '../i18n/index.js';
import type { Access } from './access.js';
import type { RouteInfo } from './router.js';

type Schema = z.ZodType | undefined;

/**
 * One API operation: what the OpenAPI document says about it, and what `op` enforces before the
 * handler runs. The body, query and path schemas are the only description of the input: the document
 * is generated from them and every request is validated against them (issue 19), so the two cannot
 * drift apart.
 */
export interface ApiOperation<B extends Schema = Schema, Q extends Schema = Schema, P extends Schema = Schema> {
  method: RouteInfo['method'];
  /** Hono path, e.g. /api/v1/people/:id */
  path: string;
  summary: string;
  access: Access;
  /** The JSON body. A body that breaks it gets 422 with `fields`, naming each wrong property. */
  body?: B;
  /** The query string, as an object schema (values arrive as text: coerce). */
  query?: Q;
  /** The path parameters; by default each `:name` is a positive 32-bit integer id. */
  params?: P;
  response?: z.ZodType;
  status?: number;
  /** The list can also be downloaded (`format=csv|xlsx`): the document names text/csv and xlsx as responses. */
  formats?: boolean;
  /** Names for fields whose general label would mislead in this operation's messages. */
  labels?: Partial<Record<string, MessageKey>>;
}

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()),
  }),
});

/** A list downloaded with format=csv (UTF-8 with BOM, or Shift_JIS) or format=xlsx. */
const FILE_CONTENT = {
  'text/csv': { schema: { type: 'string', description: 'CSV: UTF-8 with BOM, or Shift_JIS (CP932) with encoding=shift_jis; the columns of the page’s download' } },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary', description: 'Excel workbook, one sheet' } },
};

function schema(s: z.ZodType) {
  return z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
}

/** The OpenAPI 3.1 document, made from the same operations that the router serves. */
export function openApiDocument(ops: ApiOperation[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ops) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    const params = Object.entries((op.params as z.ZodObject | undefined)?.shape ?? {}).map(([name, s]) => ({ name, in: 'path', required: true, schema: schema(s as z.ZodType) }));
    const query = op.query
      ? Object.entries((op.query as z.ZodObject).shape).map(([name, s]) => {
          const t = s as z.ZodType;
          // `page` stays where it was, beside the cursor that replaces it.
          const deprecated = name === 'page' && 'cursor' in (op.query as z.ZodObject).shape;
          const description = deprecated ? `${t.description ?? 'page number'} (deprecated: follow \`next\` instead)` : t.description;
          return { name, in: 'query', required: !t.safeParse(undefined).success, ...(description ? { description } : {}), ...(deprecated ? { deprecated: true } : {}), schema: schema(t) };
        })
      : [];
    const responses: Record<string, unknown> = {
      [String(op.status ?? 200)]: {
        description: 'OK',
        ...(op.response || op.formats
          ? {
              content: {
                ...(op.response ? { 'application/json': { schema: schema(op.response) } } : {}),
                ...(op.formats ? FILE_CONTENT : {}),
              },
            }
          : {}),
      },
      default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    };
    (paths[path] ??= {})[op.method.toLowerCase()] = {
      summary: op.summary,
      security: op.access === 'public' ? [] : [{ bearer: [] }],
      'x-kyodo-access': op.access,
      ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(op.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Kyodo API', version, description: 'Kyodo (協働) staff-training programme API. Authenticate with a personal access token: Authorization: Bearer kyodo_…' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: schema(errorSchema) },
    },
    paths,
  };
}
