import { describe, expect, it } from 'vitest';
import { reporters } from '../src/report/index.js';
import type { RunResult } from '../src/types.js';
import { failingResult, passingResult } from './fixtures/results/build.js';

interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const unescape = (s: string): string =>
  s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITIES[e]!);

/**
 * A crude but strict XML reader: balanced tags, quoted attributes, and no raw "<" or "&" outside markup
 * or entities. Throws on anything a real parser would reject in these files.
 */
function parseXml(xml: string): Element {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: Element = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: Element[] = [root];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(body))) {
    consumed = token.lastIndex;
    const [, closing, name, attrText, selfClosing, text] = match;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      if (/&(?!(lt|gt|amp|quot|apos);)/.test(text)) throw new Error(`unescaped & in text: ${text}`);
      top.text += unescape(text);
    } else if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const [, key, value] of attrText!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
        if (/&(?!(lt|gt|amp|quot|apos);)/.test(value!)) throw new Error(`unescaped & in attribute ${key}`);
        attrs[key!] = unescape(value!);
      }
      const element: Element = { name: name!, attrs, children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (consumed !== body.length) throw new Error(`unparseable XML at: ${body.slice(consumed, consumed + 40)}`);
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('expected one root element');
  return root.children[0]!;
}

function testcases(xml: string): Element[] {
  const suites = parseXml(xml);
  expect(suites.name).toBe('testsuites');
  const suite = suites.children.find((c) => c.name === 'testsuite')!;
  return suite.children.filter((c) => c.name === 'testcase');
}

describe('junit reporter', () => {
  it('has one testcase per SLO and a <failure> on exactly the failed ones', () => {
    const result = failingResult();
    const cases = testcases(reporters.junit(result, { color: false }));
    expect(cases).toHaveLength(result.slo.length);
    const failedNames = cases.filter((c) => c.children.some((k) => k.name === 'failure')).map((c) => c.attrs.name);
    expect(failedNames).toEqual(['error_rate < 1%', 'p99 < 100ms [add-to-cart]']);
    expect(result.slo.filter((s) => !s.pass).length).toBe(2);
  });

  it('states actual vs threshold in the failure message and text', () => {
    const cases = testcases(reporters.junit(failingResult(), { color: false }));
    const failure = cases.find((c) => c.attrs.name === 'p99 < 100ms [add-to-cart]')!.children[0]!;
    expect(failure.attrs.type).toBe('slo');
    expect(failure.attrs.message).toMatch(/^actual \d+(\.\d+)?ms vs threshold < 100ms$/);
    expect(failure.text).toContain('add-to-cart');
    expect(failure.text).toContain(failure.attrs.message);
  });

  it('escapes special characters so names survive the round trip', () => {
    const result = failingResult();
    const xml = reporters.junit(result, { color: false });
    expect(xml).not.toContain('checkout <&>');
    const suite = parseXml(xml).children[0]!;
    expect(suite.attrs.name).toBe('bench: checkout <&> "flow"');
    expect(suite.attrs.tests).toBe(String(result.slo.length));
    expect(suite.attrs.failures).toBe('2');
    expect(testcases(xml)[0]!.attrs.classname).toBe('checkout <&> "flow".slo');
  });

  it('drops control characters XML cannot hold and escapes apostrophes', () => {
    const result = passingResult();
    result.scenario = "it's\u0001 <odd>";
    const suite = parseXml(reporters.junit(result, { color: false })).children[0]!;
    expect(suite.attrs.name).toBe("bench: it's <odd>");
  });

  it('reports a deferred SLO as skipped, not as passed or failed', () => {
    const result = passingResult();
    result.slo = result.slo.map((s) => (s.metric === 'rps' ? { ...s, deferred: true } : s));
    const xml = reporters.junit(result, { color: false });
    const rps = testcases(xml).find((c) => c.attrs.name === 'rps >= 100')!;
    expect(rps.children.map((c) => c.name)).toEqual(['skipped']);
    expect(parseXml(xml).attrs.skipped).toBe('1');
  });

  it('the crude parser itself rejects broken XML', () => {
    expect(() => parseXml('<a><b></a>')).toThrow();
    expect(() => parseXml('<a>x & y</a>')).toThrow();
    expect(() => parseXml('<a name="x"y"/>')).toThrow();
  });
});
