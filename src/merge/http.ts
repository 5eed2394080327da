// The `http` facts of several results (segments, rounds) as one: retries and redirects add up, and an
// endpoint's protocol is every protocol its parts used ("h1, h2" when they differ). Pure.
import type { RunResult } from '../types.js';

type HttpFacts = NonNullable<RunResult['http']>;

export function mergeHttpFacts(results: ReadonlyArray<Pick<RunResult, 'http'>>): HttpFacts | undefined {
  const parts = results.flatMap((r) => (r.http ? [r.http] : []));
  if (parts.length === 0) return undefined;
  const protocols = new Map<string, Set<string>>();
  const endpoints: HttpFacts['endpoints'] = {};
  for (const part of parts) {
    for (const [name, e] of Object.entries(part.endpoints)) {
      const into = (endpoints[name] ??= { protocol: '', redirects: 0 });
      into.redirects += e.redirects;
      if (e.protocol) (protocols.get(name) ?? protocols.set(name, new Set()).get(name)!).add(e.protocol);
    }
  }
  for (const [name, set] of protocols) endpoints[name]!.protocol = [...set].sort().join(', ');
  return { client: parts[0]!.client, retries: parts.reduce((sum, p) => sum + p.retries, 0), endpoints };
}

/** `{ http }` to spread into a merged result, or nothing when no part had HTTP facts. */
export function withHttp(results: ReadonlyArray<Pick<RunResult, 'http'>>): Pick<RunResult, 'http'> {
  const http = mergeHttpFacts(results);
  return http ? { http } : {};
}
