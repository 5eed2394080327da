import { describe, expect, it } from 'vitest';
import { makeRedactor, reporters, type ReportFormat } from '../src/report/index.js';
import { decodeHistogram } from '../src/metrics/histogram.js';
import type { RunResult } from '../src/types.js';
import { buildResult } from './fixtures/results/build.js';

describe('makeRedactor', () => {
  it('masks every occurrence of each secret, the longest first', () => {
    const redact = makeRedactor(['abc', 'abcdef', 'xy']);
    expect(redact('abcdef and abc and abcabc')).toBe('*** and *** and ******');
    // "xy" is shorter than 3 characters: masking it would shred ordinary text.
    expect(redact('xylophone')).toBe('xylophone');
  });

  it('treats regex characters in secrets literally', () => {
    const redact = makeRedactor(['a.b*c', '(x|y)']);
    expect(redact('a.b*c aXbc (x|y) x')).toBe('*** aXbc *** x');
  });

  it('masks Bearer credentials and token/key query values nobody declared', () => {
    const redact = makeRedactor([]);
    expect(redact('authorization: Bearer eyJhbGciOi.J9x-y')).toBe('authorization: Bearer ***');
    expect(redact('GET /x?token=abc123&page=2&api_key=zzz')).toBe('GET /x?token=***&page=2&api_key=***');
    expect(redact('nothing to hide here')).toBe('nothing to hide here');
  });
});

const SECRETS = ['s3cr3t-T0ken', 'SUPERKEY42', 'p&ss<w>"rd'];

/** A result with secrets where they could plausibly leak: target, scenario, endpoint and check names. */
function leakyResult(): RunResult {
  return buildResult({
    scenario: 'login as p&ss<w>"rd',
    target: 'http://127.0.0.1:3000/?api_key=SUPERKEY42',
    seconds: 3,
    model: 'open',
    endpoints: [
      {
        name: 'profile s3cr3t-T0ken',
        perSecond: 20,
        outcome: (i) => ({ latencyMs: 3 + (i % 7), status: 200, failedCheck: i % 5 === 0 ? 'header authorization Bearer s3cr3t-T0ken' : undefined }),
      },
    ],
    slos: ['p95 < 200ms', 'profile s3cr3t-T0ken: p99 < 300ms'],
  });
}

/** The secret in every form an output format could write it. */
function forms(secret: string): string[] {
  const xml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const json = JSON.stringify(secret).slice(1, -1);
  const script = json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  const markdown = xml.replace(/([\\`*_[\]|])/g, '\\$1');
  return [...new Set([secret, xml, json, script, markdown])];
}

describe('reporters with a redactor', () => {
  const formats = ['terminal', 'md', 'junit', 'html', 'hlog', 'json'] as const satisfies readonly ReportFormat[];

  it('the unredacted fixture really contains the secrets (the test can fail)', () => {
    const text = reporters.md(leakyResult(), { color: false }) + reporters.json(leakyResult(), { color: false });
    for (const secret of SECRETS) expect(forms(secret).some((f) => text.includes(f))).toBe(true);
  });

  for (const format of formats) {
    it(`${format}: no secret survives, in any escaped form`, () => {
      const output = reporters[format](leakyResult(), { color: true, redact: makeRedactor(SECRETS) });
      for (const secret of SECRETS) for (const form of forms(secret)) expect(output).not.toContain(form);
      expect(output).toContain('***');
    });
  }

  it('keeps histograms intact in result.json (a secret could otherwise corrupt the base64)', () => {
    const result = leakyResult();
    const redacted = JSON.parse(reporters.json(result, { color: false, redact: makeRedactor([...SECRETS, 'AAA', 'HIST']) })) as RunResult;
    expect(redacted.totals.histogram).toBe(result.totals.histogram);
    expect(decodeHistogram(redacted.endpoints[0]!.histogram).totalCount).toBe(result.totals.requests);
    expect(redacted.endpoints[0]!.name).toBe('profile ***');
    expect(redacted.totals.checks).toEqual({ 'header authorization Bearer ***': 12 });
  });
});
