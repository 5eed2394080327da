// comparison.json: the Comparison as it is, for CI tools.
import type { Comparison } from './types.js';

export function renderComparisonJson(comparison: Comparison): string {
  return JSON.stringify(comparison, null, 2);
}
