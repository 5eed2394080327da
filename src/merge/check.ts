// What `bench merge` refuses: results that are not parts of one split run. Pure.
import { UsageError } from '../errors.js';
import type { RunResult } from '../types.js';

const SUPPORTED_SCHEMA = 1;

/** A result without `segment` is the whole load (0/1): merging it with anything else would double count. */
function segmentOf(result: RunResult): { index: number; count: number } {
  return result.segment ?? { index: 0, count: 1 };
}

/** Throws a one-line UsageError unless the results are distinct segments of one scenario's split. */
export function checkMergeable(results: readonly RunResult[]): void {
  if (results.length === 0) throw new UsageError('nothing to merge: give at least one result.json');
  for (const [n, r] of results.entries()) {
    if ((r.schemaVersion as number) !== SUPPORTED_SCHEMA) {
      throw new UsageError(`result ${n + 1} has schemaVersion ${String(r.schemaVersion)}; this bench reads schemaVersion ${SUPPORTED_SCHEMA}`);
    }
  }
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  if (scenarios.length > 1) throw new UsageError(`cannot merge results of different scenarios: ${scenarios.map((s) => `"${s}"`).join(', ')}`);
  const counts = [...new Set(results.map((r) => segmentOf(r).count))];
  if (counts.length > 1) throw new UsageError(`cannot merge results split into different segment counts: ${counts.map((c) => `/${c}`).join(', ')}`);
  const seen = new Set<number>();
  for (const r of results) {
    const { index, count } = segmentOf(r);
    if (seen.has(index)) throw new UsageError(`segment ${index}/${count} appears twice: each segment's result can be merged only once`);
    seen.add(index);
  }
}

/** Segment indexes of the split that none of the results covers (the CLI warns: the merged load is partial). */
export function missingSegments(results: readonly RunResult[]): number[] {
  const count = results[0] ? segmentOf(results[0]).count : 0;
  const present = new Set(results.map((r) => segmentOf(r).index));
  return Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(i));
}
