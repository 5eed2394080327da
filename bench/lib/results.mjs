// bench/RESULTS.md: the latest run's tables; the run before is kept below them for comparison, and
// the hand-written analysis after the NOTES marker is kept as it is. A partial run can instead be merged
// into the latest one (`--merge`): its sections replace or join those of the same number, nothing rotates.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const LATEST = ['<!-- latest:start -->', '<!-- latest:end -->'];
const PREVIOUS = ['<!-- previous:start -->', '<!-- previous:end -->'];
const NOTES = '<!-- notes: kept as written by hand -->';

function between(text, [start, end]) {
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  return a >= 0 && b > a ? text.slice(a + start.length, b).trim() : '';
}

/** The new RESULTS.md text: `latest` on top, the old latest as previous, notes kept. */
export function renderResults(oldText, latest, previous = between(oldText, LATEST)) {
  const n = oldText.indexOf(NOTES);
  const notes = n >= 0 ? oldText.slice(n + NOTES.length).trim() : '';
  return [
    '# bench — benchmark results',
    '',
    'Written by `npm run bench` (`node bench/run.mjs [cpu] [stall] [rate] [rss] [profile] [soak] [--quick] [--merge]`). Each run replaces "Latest run" and moves the one before to "Previous run"; a `--merge` run adds its sections to "Latest run" instead.',
    '',
    '## Latest run',
    LATEST[0],
    latest.trim(),
    LATEST[1],
    '',
    '## Previous run',
    PREVIOUS[0],
    previous ? previous.replace(/^### /gm, '#### ') : '_none yet_',
    PREVIOUS[1],
    '',
    NOTES,
    '',
    notes,
    '',
  ].join('\n');
}

/** Split a run's text into its header and its `### N. …` sections, keyed by N. */
export function splitSections(text) {
  // The leading newline gives a text that starts with a section an empty header (split never
  // yields an empty first part for a match at index 0).
  const [header, ...rest] = `\n${text.trim()}`.split(/^(?=### \d+\.)/m);
  const sections = new Map(rest.map((section) => [Number(/^### (\d+)\./.exec(section)[1]), section.trim()]));
  return { header: header.trim(), sections };
}

/**
 * The new RESULTS.md text with `run`'s sections merged into the latest run: same-numbered sections
 * replaced, new ones added in number order, the others (and "Previous run") kept; `note` is added
 * to the latest run's header so the mix of dates stays visible.
 */
export function mergeResults(oldText, run, note) {
  const current = between(oldText, LATEST);
  if (!current) return renderResults(oldText, run);
  const old = splitSections(current);
  const added = splitSections(run);
  const sections = new Map([...old.sections, ...added.sections]);
  const ordered = [...sections.keys()].sort((a, b) => a - b).map((n) => sections.get(n));
  const latest = [[old.header, note].join('\n'), ...ordered].join('\n\n');
  return renderResults(oldText, latest, between(oldText, PREVIOUS).replace(/^#### /gm, '### '));
}

export function writeResults(file, latest, { merge = false, note = '' } = {}) {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, merge ? mergeResults(old, latest, note) : renderResults(old, latest));
}
