// bench merge / A/B rounds keep result.json's `http` facts: retries and redirects add up across the parts,
// and an endpoint's protocol lists what every part used.
import { describe, expect, it } from 'vitest';
import { mergeHttpFacts } from '../src/merge/http.js';
import type { RunResult } from '../src/types.js';

const part = (http: RunResult['http']): RunResult => ({ http }) as RunResult;

describe('merged http facts', () => {
  it('adds retries and redirects and lists every protocol', () => {
    const merged = mergeHttpFacts([
      part({ client: 'lean', retries: 3, endpoints: { a: { protocol: 'h1', redirects: 2 }, b: { protocol: 'h1', redirects: 0 } } }),
      part(undefined),
      part({ client: 'lean', retries: 4, endpoints: { a: { protocol: 'h2', redirects: 5 } } }),
    ]);
    expect(merged).toEqual({ client: 'lean', retries: 7, endpoints: { a: { protocol: 'h1, h2', redirects: 7 }, b: { protocol: 'h1', redirects: 0 } } });
  });

  it('is absent when no part had any', () => {
    expect(mergeHttpFacts([part(undefined), part(undefined)])).toBeUndefined();
  });
});
