// POST /graphql over any product lookup: in-process in the monolith, over HTTP in the gateway.
import type { Product } from './catalog.js';
import { parseProductQuery, selectFields } from './graphql.js';
import { HttpError, readBody, requireMethod, sendJson, type Handler } from './http-json.js';

export type FindProduct = (id: number) => Promise<Product | null>;

function parseRequest(text: string): { query: string; variables: Record<string, unknown> } | null {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null) return null;
    const { query, variables } = body as { query?: unknown; variables?: unknown };
    if (typeof query !== 'string') return null;
    if (variables !== undefined && variables !== null && typeof variables !== 'object') return null;
    return { query, variables: (variables ?? {}) as Record<string, unknown> };
  } catch {
    return null;
  }
}

export function createGraphqlHandler(findProduct: FindProduct): Handler {
  return async (req, res) => {
    requireMethod(req, 'POST');
    const request = parseRequest(await readBody(req));
    if (request === null) {
      return sendJson(res, 400, { errors: [{ message: 'body must be JSON with a "query" string' }] });
    }
    const parsed = parseProductQuery(request.query, request.variables);
    if (!parsed.ok) return sendJson(res, 200, { errors: [{ message: parsed.message }] });
    try {
      const product = await findProduct(parsed.query.id);
      sendJson(res, 200, { data: { product: selectFields(product, parsed.query.fields) } });
    } catch (error) {
      // An unavailable upstream keeps its status (503/502) so load tests count it as an error.
      if (!(error instanceof HttpError)) throw error;
      sendJson(res, error.status, { data: { product: null }, errors: [{ message: error.message }] });
    }
  };
}
