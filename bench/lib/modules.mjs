// Test 8: what loading costs in memory. Each row is its own `node` process that imports one module and
// exits, measured by GNU time (peak RSS, CPU); "node alone" imports nothing. Rounds interleaved, medians.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measured } from './proc.mjs';
import { ROOT } from './generators.mjs';
import { fmt, median, table } from './stats.mjs';

/** [label, what to import (a package name or a file), note] */
function entries(distDir) {
  const file = (rel) => pathToFileURL(join(distDir, rel)).href;
  return [
    ['node alone', null, 'the floor'],
    ['hdr-histogram-js (package index)', 'hdr-histogram-js', 'what bench imported before: the JS and the WebAssembly histograms, pako'],
    ["bench's histogram (dist/metrics/histogram.js)", file('metrics/histogram.js'), "hdr-histogram-js's Int32Histogram class only + bench's codec on node:zlib"],
    ['undici', 'undici', 'the https client'],
    ['yaml', 'yaml', 'scenario files'],
    ['commander', 'commander', 'argument parsing'],
    ['chalk + cli-table3', ['chalk', 'cli-table3'], 'terminal output'],
    ['jsonpath-plus', 'jsonpath-plus', 'captures'],
    ['csv-parse', 'csv-parse', 'data files'],
    ['engine (dist/engine/engine.js)', file('engine/engine.js'), 'engine, both HTTP clients, metrics'],
    ['CLI shell (dist/cli/main.js)', file('cli/main.js'), 'what every command loads first (commands are loaded on use)'],
    ['`bench run` (dist/cli/run-command.js)', file('cli/run-command.js'), 'everything a run loads before its first request'],
    ['`bench compare` (dist/cli/compare-command.js)', file('cli/compare-command.js'), 'loaded only by compare and A/B runs'],
    ['autocannon (peer)', pathToFileURL(join(ROOT, 'node_modules/autocannon/autocannon.js')).href, 'the Node peer, its module alone'],
  ];
}

const script = (what) => (what === null ? '' : (Array.isArray(what) ? what : [what]).map((w) => `await import(${JSON.stringify(w)});`).join(''));

export async function modulesTest({ cli, rounds = 3 }) {
  const distDir = join(cli, '..', '..', 'dist'); // <build>/bin/bench.js
  const list = entries(distDir);
  const results = new Map(list.map(([label]) => [label, { rss: [], cpu: [] }]));
  for (let round = 1; round <= rounds; round++) {
    process.stderr.write(`modules: round ${round}/${rounds} …\n`);
    for (const [label, what] of list) {
      const r = await measured(['node', '--input-type=module', '-e', script(what)], { cwd: ROOT });
      if (r.code !== 0) throw new Error(`modules: importing ${label} failed: ${r.stderr.trim().split('\n').pop()}`);
      results.get(label).rss.push(r.maxRssMb);
      results.get(label).cpu.push(r.cpuSec);
    }
  }
  const floor = median(results.get('node alone').rss);
  const rows = list.map(([label, , note]) => {
    const { rss, cpu } = results.get(label);
    const m = median(rss);
    return [label, fmt(m, 1), label === 'node alone' ? '' : `+${fmt(m - floor, 1)}`, fmt(median(cpu) * 1000, 0), rss.map((x) => fmt(x, 1)).join(', '), note];
  });
  const runRss = median(results.get('`bench run` (dist/cli/run-command.js)').rss);
  const markdown = [
    `### 8. Module RSS — peak RSS of a \`node\` process that imports one module and exits (${rounds} interleaved rounds, medians)`,
    '',
    table(['import', 'peak RSS MB', 'above node alone MB', 'CPU ms (process)', 'rounds MB', 'what it is'], rows),
    '',
    `- \`bench run\` holds ${fmt(runRss, 1)} MB before its first request (${fmt(runRss - floor, 1)} MB above node alone). Rows do not add up: modules share dependencies (the engine includes the histogram and undici), and peak RSS moves in steps of heap growth.`,
  ].join('\n');
  return { markdown, runRss, floor };
}
