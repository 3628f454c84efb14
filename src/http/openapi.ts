import { z } from 'zod';
import type { Access, RouteInfo } from './router.js';

export interface ApiOperation {
  method: RouteInfo['method'];
  /** Hono path, e.g. /api/v1/people/:id */
  path: string;
  summary: string;
  access: Access;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  query?: Record<string, string>;
}

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()),
  }),
});

function schema(s: z.ZodType) {
  return z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
}

/** The OpenAPI 3.1 document, made from the same operations that the router serves. */
export function openApiDocument(ops: ApiOperation[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ops) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    const params = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'integer' } }));
    const query = Object.entries(op.query ?? {}).map(([name, description]) => ({ name, in: 'query', required: false, description, schema: { type: 'string' } }));
    const responses: Record<string, unknown> = {
      [String(op.status ?? 200)]: {
        description: 'OK',
        ...(op.response ? { content: { 'application/json': { schema: schema(op.response) } } } : {}),
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
