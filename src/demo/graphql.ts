// Just enough GraphQL for the demo: `product(id: …) { fields }`, with an optional `query Name($id: Int!)`
// header and variables. Anything else is answered with GraphQL `errors`, never a crash.
import type { Product } from './catalog.js';

export const PRODUCT_FIELDS = ['id', 'name', 'price', 'stock'] as const;
export type ProductField = (typeof PRODUCT_FIELDS)[number];

export interface ProductQuery {
  id: number;
  fields: ProductField[];
}

export type ParseOutcome = { ok: true; query: ProductQuery } | { ok: false; message: string };

type TokenKind = 'punct' | 'name' | 'number' | 'string';
interface Token {
  kind: TokenKind;
  text: string;
}

class GraphqlError extends Error {}

// Commas are insignificant in GraphQL, like whitespace; `#` starts a comment.
const TOKEN = /\s+|,|#[^\n]*|([{}()[\]:!$=])|([_A-Za-z][_0-9A-Za-z]*)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\\n]|\\.)*")|(.)/gy;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(source); m !== null; m = TOKEN.exec(source)) {
    if (m[1]) tokens.push({ kind: 'punct', text: m[1] });
    else if (m[2]) tokens.push({ kind: 'name', text: m[2] });
    else if (m[3]) tokens.push({ kind: 'number', text: m[3] });
    else if (m[4]) tokens.push({ kind: 'string', text: JSON.parse(m[4]) as string });
    else if (m[5]) throw new GraphqlError(`Syntax Error: unexpected character "${m[5]}"`);
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly variables: Record<string, unknown>,
  ) {}

  document(): ProductQuery {
    this.operationHeader();
    this.expect('{');
    const query = this.productField();
    this.expect('}');
    if (this.peek()) throw new GraphqlError('Syntax Error: only one operation is supported');
    return query;
  }

  private operationHeader(): void {
    const first = this.peek();
    if (first?.kind !== 'name') return;
    if (first.text !== 'query') throw new GraphqlError(`Only queries are supported, not "${first.text}"`);
    this.pos++;
    if (this.peek()?.kind === 'name') this.pos++; // operation name
    if (this.peek()?.text === '(') this.skipVariableDefinitions();
  }

  // Variable types are not checked against a schema: the argument's value is checked when used.
  private skipVariableDefinitions(): void {
    this.expect('(');
    while (this.peek() && this.peek()?.text !== ')') this.pos++;
    this.expect(')');
  }

  private productField(): ProductQuery {
    const field = this.name();
    if (field !== 'product') throw new GraphqlError(`Cannot query field "${field}" on type "Query"`);
    this.expect('(');
    const argument = this.name();
    if (argument !== 'id') throw new GraphqlError(`Unknown argument "${argument}" on field "product"`);
    this.expect(':');
    const id = this.intValue();
    this.expect(')');
    return { id, fields: this.selection() };
  }

  private selection(): ProductField[] {
    this.expect('{');
    const fields: ProductField[] = [];
    while (this.peek()?.kind === 'name') {
      const field = this.name();
      if (!(PRODUCT_FIELDS as readonly string[]).includes(field)) {
        throw new GraphqlError(`Cannot query field "${field}" on type "Product"`);
      }
      fields.push(field as ProductField);
    }
    this.expect('}');
    if (fields.length === 0) throw new GraphqlError('Syntax Error: empty selection on "product"');
    return fields;
  }

  private intValue(): number {
    const token = this.next();
    let value: unknown;
    let what = 'Argument "id"';
    if (token.text === '$' && token.kind === 'punct') {
      const variable = this.name();
      what = `Variable "$${variable}"`;
      if (!(variable in this.variables)) throw new GraphqlError(`${what} is not defined`);
      value = this.variables[variable];
    } else if (token.kind === 'number') value = Number(token.text);
    else if (token.kind === 'string') value = token.text; // the ID type accepts strings
    else throw new GraphqlError(`Syntax Error: unexpected "${token.text}"`);
    const id = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new GraphqlError(`${what} must be an Int`);
    return id;
  }

  private name(): string {
    const token = this.next();
    if (token.kind !== 'name') throw new GraphqlError(`Syntax Error: expected a name, found "${token.text}"`);
    return token.text;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text || token.kind === 'string') {
      throw new GraphqlError(`Syntax Error: expected "${text}", found "${token.text}"`);
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos++];
    if (!token) throw new GraphqlError('Syntax Error: unexpected end of query');
    return token;
  }
}

export function parseProductQuery(source: string, variables: Record<string, unknown> = {}): ParseOutcome {
  try {
    return { ok: true, query: new Parser(tokenize(source), variables).document() };
  } catch (error) {
    if (error instanceof GraphqlError || error instanceof SyntaxError) return { ok: false, message: error.message };
    throw error;
  }
}

/** The requested fields of `product`, in the order asked; null stays null (unknown product). */
export function selectFields(product: Product | null, fields: ProductField[]): Record<string, unknown> | null {
  if (product === null) return null;
  const selected: Record<string, unknown> = {};
  for (const field of fields) selected[field] = product[field];
  return selected;
}
