// `npm run bench`: the benchmark suite.
//   node bench/run.mjs [cpu] [pipelining] [stall] [rate] [rss] [profile] [soak] [capacity] [precision] [modules] [startup]
//                      [--only=NAME[,NAME…]] [--quick] [--no-write] [--write] [--merge] [--seconds=N]
//                      [--rounds=N] [--compile] [--keep-snapshot] [--label=TEXT]
//                      [--peer-cli=PATH --peer-label=TEXT]
// Runs the selected tests (all by default; `--only precision` or `precision` alone runs one section)
// side by side in one invocation, prints the tables and
// writes them into bench/RESULTS.md (a --quick smoke run, or one with --seconds/--rounds, writes only
// with --write; --merge adds the sections to the latest run instead of rotating it, for a partial run
// such as `soak` after a full suite). --seconds/--rounds override the CPU test's run length and rounds; --compile builds
// the CLI under test from src/ instead of copying dist/; --keep-snapshot runs whatever build is already in
// .bench-tmp/snapshot (e.g. an older commit's, for a before/after pair); --label names the build in the header;
// --peer-cli adds another build of bench (its bin/bench.js) as a peer in the precision test, e.g. the
// commit before a change.
import { spawnSync } from 'node:child_process';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { ensureTools } from './lib/ensure.mjs';
import { autocannonPresent, readJson, ROOT } from './lib/generators.mjs';
import { startNginx } from './lib/nginx.mjs';
import { snapshotCli } from './lib/snapshot.mjs';
import { writeResults } from './lib/results.mjs';
import { cpuTest } from './lib/cpu.mjs';
import { stallTest } from './lib/stall.mjs';
import { rateTest } from './lib/rate.mjs';
import { rssTest } from './lib/rss.mjs';
import { profileTest } from './lib/profile.mjs';
import { soakTest } from './lib/soak.mjs';
import { capacityTest } from './lib/capacity.mjs';
import { precisionTest } from './lib/precision.mjs';
import { modulesTest } from './lib/modules.mjs';
import { startupTest } from './lib/startup.mjs';
import { pipeliningTest } from './lib/pipelining.mjs';

const TESTS = ['cpu', 'pipelining', 'stall', 'rate', 'rss', 'profile', 'soak', 'capacity', 'precision', 'modules', 'startup'];
/** Tests that run without nginx (soak falls back to a Node server in its own process). */
const WITHOUT_NGINX = ['stall', 'soak', 'capacity', 'precision', 'modules'];

function parseArgs(argv) {
  const value = (name) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? NaN);
  const flags = new Set(argv.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]));
  const only = argv.filter((a) => a.startsWith('--only=')).flatMap((a) => a.slice('--only='.length).split(','));
  // `--only NAME` (a separate word) is a plain name as well
  const names = [...argv.filter((a) => !a.startsWith('--')), ...only].filter(Boolean);
  const unknown = names.filter((n) => !TESTS.includes(n));
  if (unknown.length) throw new Error(`unknown test ${unknown.join(', ')}; choose from ${TESTS.join(' ')}`);
  const quick = flags.has('--quick');
  const seconds = value('seconds');
  const rounds = value('rounds');
  const label = argv.find((a) => a.startsWith('--label='))?.slice('--label='.length) ?? '';
  const custom = Number.isFinite(seconds) || Number.isFinite(rounds);
  const write = flags.has('--write') || (!quick && !custom && !flags.has('--no-write'));
  const peerCli = argv.find((a) => a.startsWith('--peer-cli='))?.slice('--peer-cli='.length);
  const peerLabel = argv.find((a) => a.startsWith('--peer-label='))?.slice('--peer-label='.length) ?? 'peer build';
  return { tests: names.length ? TESTS.filter((t) => names.includes(t)) : TESTS, quick, write, merge: flags.has('--merge'), seconds, rounds, label, compile: flags.has('--compile'), keep: flags.has('--keep-snapshot'), peerCli, peerLabel };
}

/** Durations: the full suite takes ~14 minutes (3 of them the soak, 2 the capacity search); --quick is a smoke check of about two. */
function durations(quick) {
  return quick
    ? { cpuSeconds: 2, cpuRounds: 1, pipeliningSeconds: 2, pipeliningRounds: 1, stallSeconds: 5, rateSeconds: 2, rssDurations: [2, 6], profileSeconds: 2, soakSeconds: 20, soakSampleSeconds: 5, capacityStep: 1, capacityRepeats: 1, precisionSeconds: 2, precisionRounds: 1, moduleRounds: 1, startupRounds: 1, saturationSeconds: 2 }
    : { cpuSeconds: 10, cpuRounds: 3, pipeliningSeconds: 5, pipeliningRounds: 3, stallSeconds: 10, rateSeconds: 10, rssDurations: [20, 60], profileSeconds: 8, soakSeconds: 180, soakSampleSeconds: 10, capacityStep: 2, capacityRepeats: 2, precisionSeconds: 5, precisionRounds: 3, moduleRounds: 3, startupRounds: 3, saturationSeconds: 5 };
}

function version(cmd, args, pattern) {
  try {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return pattern.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`)?.[1] ?? 'n/a';
  } catch {
    return 'n/a';
  }
}

function machine() {
  const cpu = cpus();
  const pkg = (name) => readJson(join(ROOT, 'node_modules', name, 'package.json')).version;
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Linux ${release()}, Node ${process.version}`,
    `- Tools: nginx ${version('nginx', ['-v'], /nginx\/(\S+)/)}, wrk ${version('wrk', ['-v'], /wrk (\S+)/)}, autocannon ${pkg('autocannon')}, undici ${pkg('undici')}, hdr-histogram-js ${pkg('hdr-histogram-js')}`,
    '- Pinning: nginx (1 worker, `return 200`, no access log) on core 0; each generator its own process on core 1 (`taskset`); CPU = user + sys of the whole process from GNU time, startup included.',
  ].join('\n');
}

async function main() {
  const { tests, quick, write, merge, seconds, rounds, compile, keep, label, peerCli, peerLabel } = parseArgs(process.argv.slice(2));
  const d = durations(quick);
  if (Number.isFinite(seconds)) d.cpuSeconds = seconds;
  if (Number.isFinite(rounds)) d.cpuRounds = rounds;
  const notes = [];
  const tools = ensureTools(notes);
  if (!tools.time || !tools.taskset) throw new Error('GNU time and taskset are required to measure CPU; see notes: ' + notes.join('; '));
  if (!autocannonPresent()) notes.push('autocannon not installed (devDependency): its columns are skipped');
  const cli = keep ? join(ROOT, '.bench-tmp/snapshot/bin/bench.js') : snapshotCli({ compile });
  const needsNginx = tests.some((t) => !WITHOUT_NGINX.includes(t));
  if (needsNginx && !tools.nginx) throw new Error('nginx is required for cpu/rate/rss/profile and could not be installed');
  const nginx = tools.nginx && tests.some((t) => !WITHOUT_NGINX.includes(t) || t === 'soak') ? await startNginx() : null;
  const sections = [];
  const started = Date.now();
  try {
    if (tests.includes('cpu')) sections.push((await cpuTest({ cli, nginx, tools, seconds: d.cpuSeconds, rounds: d.cpuRounds, notes })).markdown);
    if (tests.includes('pipelining')) sections.push((await pipeliningTest({ cli, nginx, tools, seconds: d.pipeliningSeconds, rounds: d.pipeliningRounds, notes })).markdown);
    if (tests.includes('stall')) sections.push((await stallTest({ cli, seconds: d.stallSeconds })).markdown);
    if (tests.includes('rate')) sections.push((await rateTest({ cli, nginx, seconds: d.rateSeconds })).markdown);
    if (tests.includes('rss')) sections.push((await rssTest({ cli, nginx, tools, durations: d.rssDurations })).markdown);
    if (tests.includes('profile')) sections.push((await profileTest({ cli, nginx, seconds: d.profileSeconds })).markdown);
    if (tests.includes('soak')) sections.push((await soakTest({ cli, nginx, seconds: d.soakSeconds, sampleSeconds: d.soakSampleSeconds })).markdown);
    if (tests.includes('capacity')) sections.push((await capacityTest({ cli, stepSeconds: d.capacityStep, repeats: d.capacityRepeats })).markdown);
    if (tests.includes('precision')) sections.push((await precisionTest({ cli, seconds: d.precisionSeconds, rounds: d.precisionRounds, peerCli, peerLabel })).markdown);
    if (tests.includes('modules')) sections.push((await modulesTest({ cli, rounds: d.moduleRounds })).markdown);
    if (tests.includes('startup')) sections.push((await startupTest({ cli, nginx, tools, rounds: d.startupRounds, saturationSeconds: d.saturationSeconds })).markdown);
  } finally {
    await nginx?.stop();
  }
  const took = Math.round((Date.now() - started) / 1000);
  const header = [machine(), ...(label ? [`- Build: ${label}`] : []), `- Mode: ${quick ? 'quick (smoke)' : 'full'}; tests: ${tests.join(', ')}; suite took ${took} s`];
  if (notes.length) header.push(...notes.map((n) => `- Note: ${n}`));
  const latest = [header.join('\n'), ...sections].join('\n\n');
  process.stdout.write(`\n${latest}\n`);
  if (write) {
    const note = `- Merged: ${tests.join(', ')} from a ${quick ? 'quick' : 'full'} run on ${new Date(started).toISOString()} (took ${took} s)${label ? `, build: ${label}` : ''}${notes.length ? `; notes: ${notes.join('; ')}` : ''}`;
    writeResults(join(ROOT, 'bench/RESULTS.md'), merge ? sections.join('\n\n') : latest, { merge, note });
    process.stderr.write('\nwritten to bench/RESULTS.md\n');
  }
}

main().catch((err) => {
  process.stderr.write(`bench suite: ${err.message}\n`);
  process.exitCode = 1;
});
