// The template expression language inside {{ }}: names (token, users.user), literals (1, "a", [1, 2])
// and calls (randomInt(1, 1000), randomItem(colors), uuid(), now()). Parsed once, at load.

export type TemplateExpr =
  | { kind: 'literal'; value: unknown }
  | { kind: 'list'; items: TemplateExpr[] }
  | { kind: 'ref'; path: string[] }
  | { kind: 'call'; name: string; args: TemplateExpr[] };

export type TextPart = { kind: 'text'; text: string } | { kind: 'expr'; expr: TemplateExpr; source: string };

const TOKEN = /\s*(?:(-?\d+(?:\.\d+)?)|("(?:[^"\\]|\\.)*"|'[^']*')|([A-Za-z_][\w]*(?:\.[A-Za-z_][\w-]*)*)|([()[\],]))/y;

/** Splits "a {{ x }} b" into parts; throws a one-line message on bad syntax. */
export function parseTemplateText(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new Error(`unclosed "{{" in "${text}"`);
    if (open > at) parts.push({ kind: 'text', text: text.slice(at, open) });
    const source = text.slice(open + 2, close).trim();
    parts.push({ kind: 'expr', expr: parseExpression(source), source });
    at = close + 2;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}

export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

type Token = { kind: 'number' | 'string' | 'name' | 'punct'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) {
      if (source.slice(start).trim() === '') break;
      throw new Error(`cannot read "{{ ${source} }}" near "${source.slice(start).trim()}"`);
    }
    if (m[1] !== undefined) tokens.push({ kind: 'number', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'string', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'name', text: m[3] });
    else tokens.push({ kind: 'punct', text: m[4]! });
  }
  return tokens;
}

function parseExpression(source: string): TemplateExpr {
  if (source === '') throw new Error('empty "{{ }}"');
  const tokens = tokenize(source);
  let index = 0;
  const fail = (): never => {
    throw new Error(`cannot read "{{ ${source} }}"`);
  };
  const peek = () => tokens[index];
  const take = (text?: string): Token => {
    const token = tokens[index++] ?? fail();
    if (text !== undefined && token.text !== text) fail();
    return token;
  };
  const list = (close: string): TemplateExpr[] => {
    const items: TemplateExpr[] = [];
    if (peek()?.text === close) return take(close) && items;
    for (;;) {
      items.push(expression());
      if (take().text === close) return items;
      if (tokens[index - 1]!.text !== ',') fail();
    }
  };
  const expression = (): TemplateExpr => {
    const token = take();
    if (token.kind === 'number') return { kind: 'literal', value: Number(token.text) };
    if (token.kind === 'string') return { kind: 'literal', value: unquote(token.text) };
    if (token.text === '[') return { kind: 'list', items: list(']') };
    if (token.kind !== 'name') return fail();
    if (peek()?.text !== '(') return { kind: 'ref', path: token.text.split('.') };
    take('(');
    return { kind: 'call', name: token.text, args: list(')') };
  };
  const expr = expression();
  if (index !== tokens.length) fail();
  return expr;
}

function unquote(text: string): string {
  return text.startsWith('"') ? (JSON.parse(text) as string) : text.slice(1, -1);
}
