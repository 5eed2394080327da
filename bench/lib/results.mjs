// bench/RESULTS.md: the latest run's tables; the run before is kept below them for comparison, and
// the hand-written analysis after the NOTES marker is kept as it is.
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
export function renderResults(oldText, latest) {
  const previous = between(oldText, LATEST);
  const n = oldText.indexOf(NOTES);
  const notes = n >= 0 ? oldText.slice(n + NOTES.length).trim() : '';
  return [
    '# bench — benchmark results',
    '',
    'Written by `npm run bench` (`node bench/run.mjs [cpu] [stall] [rate] [rss] [profile] [--quick]`). Each run replaces "Latest run" and moves the one before to "Previous run".',
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

export function writeResults(file, latest) {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, renderResults(old, latest));
}
