// The verdict of a comparison as one sentence in words — what it is and why — for the top of
// comparison.html: "v2 is slower: p95 +15.20 ms (+12.0%), beyond the 10% bound and outside the noise
// (Welch p=0.001)." Read from the judged rows (verdict, Δ, bound, p-value), never recomputed. Pure.
import { formatBound } from './bounds.js';
import { formatDelta, formatRelative } from './format.js';
import type { CompareMetric, Comparison, ComparisonSection, MetricRow } from './types.js';

/** Which row speaks for the comparison when several have the same verdict: the totals before any endpoint, then these. */
const HEADLINE_ORDER: readonly CompareMetric[] = ['p95', 'p99', 'p90', 'p50', 'mean', 'error_rate', 'max', 'rps'];

interface Judged {
  section: ComparisonSection;
  row: MetricRow;
}

export function verdictSentence(comparison: Comparison): string {
  const judged = [comparison.totals, ...comparison.endpoints].flatMap((section) =>
    section.onlyIn ? [] : section.rows.filter((row) => !row.sameAs && row.delta !== null).map((row) => ({ section, row })),
  );
  const head = comparison.head.label;
  const base = comparison.base.label;
  const withVerdict = (verdict: MetricRow['verdict']): Judged[] => judged.filter((j) => j.row.verdict === verdict).sort(byHeadline);

  const regressions = withVerdict('regression');
  if (regressions.length > 0) {
    const [first] = regressions as [Judged];
    const more = regressions.length - 1;
    const tail = more > 0 ? ` ${more} more metric${more === 1 ? '' : 's'} regressed too (see the table).` : '';
    return `${head} ${how(first.row)}: ${change(first)}, ${boundText(first.row)} and ${noiseText(first.row)}.${tail}`;
  }
  const [inconclusive] = withVerdict('inconclusive');
  if (inconclusive) {
    return `No regression shown, but inconclusive: ${head} looks ${looks(inconclusive.row)} — ${change(inconclusive)}, ${boundText(inconclusive.row)} yet ${noiseText(inconclusive.row)}: not enough data to tell (more rounds would).`;
  }
  const [worse] = withVerdict('worse');
  if (worse) {
    return `No regression: ${head} ${how(worse.row)}, ${change(worse)}, ${noiseText(worse.row)} but ${boundText(worse.row)}.`;
  }
  const [better] = withVerdict('better');
  if (better) return `No regression: ${head} ${how(better.row)}: ${change(better)}, ${noiseText(better.row)}.`;
  return `No significant change: every metric of ${head} is within the noise or its bound of ${base}.`;
}

function byHeadline(a: Judged, b: Judged): number {
  const section = (j: Judged): number => (j.section.name === 'total' ? 0 : 1);
  return section(a) - section(b) || HEADLINE_ORDER.indexOf(a.row.metric) - HEADLINE_ORDER.indexOf(b.row.metric);
}

/** "is slower", "has more errors", "has less throughput" … from the row's direction of change. */
function how(row: MetricRow): string {
  const up = (row.delta ?? 0) > 0;
  if (row.metric === 'error_rate') return up ? 'has more errors' : 'has fewer errors';
  if (row.metric === 'rps') return up ? 'has more throughput' : 'has less throughput';
  return up ? 'is slower' : 'is faster';
}

function looks(row: MetricRow): string {
  return how(row).replace(/^is /, '').replace(/^has /, 'to have ');
}

/** "p95 +15.20 ms (+12.0%)"; an endpoint's row names it: "GET /item p95 …". */
function change({ section, row }: Judged): string {
  const where = section.name === 'total' ? '' : `${section.name} `;
  const relative = row.unit !== 'ratio' && row.relative !== null ? ` (${formatRelative(row)})` : '';
  return `${where}${row.metric} ${formatDelta(row)}${relative}`;
}

function boundText(row: MetricRow): string {
  if (!row.bound) return 'not gated';
  return `${row.pastBound ? 'beyond' : 'within'} the ${formatBound(row.bound)} bound`;
}

function noiseText(row: MetricRow): string {
  if (row.test === 'bound-only' || row.pValue === null) return 'with no noise estimate (the bound alone decides)';
  const test = row.test === 'sampling' ? 'z-test' : 'Welch';
  return `${row.significant ? 'outside' : 'within'} the noise (${test} ${pText(row.pValue)})`;
}

function pText(p: number): string {
  return p < 0.001 ? 'p<0.001' : `p=${Number(p.toPrecision(2))}`;
}
