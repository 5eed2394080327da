// Test 7: the capacity search. Two servers of known capacity (each its own process): one that admits R
// requests/s and answers 503 beyond (error_rate breaks at R), one with k slots of s ms and a queue (the
// latency knee just below k/s). The table shows how close `bench capacity` gets to the truth, how many
// probes it took and how long. Neither process is pinned: this measures accuracy, not CPU, and a process
// pinned to a core that a neighbour keeps busy has its timers fire late (both the server's and bench's).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './generators.mjs';
import { spawn } from 'node:child_process';
import { startHelper, stopChild, TIME_BIN } from './proc.mjs';
import { fmt, int, pct, table } from './stats.mjs';

const SERVERS = [
  { label: 'rate-limited, 503 beyond 300/s', env: { CAPACITY_KIND: 'rate', CAPACITY_RATE: '300' }, truth: 300, slo: ['error_rate < 1%', 'p95 < 200ms'], from: '100/s', accept: [0.95, 1.05] },
  { label: '4 slots × 20 ms, queued (200/s)', env: { CAPACITY_KIND: 'slots', CAPACITY_SLOTS: '4', CAPACITY_SERVICE_MS: '20' }, truth: 200, slo: ['p95 < 60ms', 'error_rate < 1%'], from: '100/s', accept: [0.8, 1.0] },
];

function scenario(dir, target, slo) {
  const file = join(dir, 'capacity.yml');
  writeFileSync(
    file,
    `name: capacity-bench
target: ${target}
http: { timeout: 10s }
load:
  - { duration: 5s, rate: 10/s }
flows:
  - name: get
    steps:
      - name: root
        get: /
slo:
${slo.map((s) => `  - ${s}`).join('\n')}
`,
  );
  return file;
}

/** Run `argv` unpinned under GNU time: exit code and CPU seconds (user + sys). */
function timed(argv, timeFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(TIME_BIN, ['-f', '%U %S', '-o', timeFile, ...argv], { stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', (code) => {
      const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
      resolve({ code, cpuSec: user + sys });
    });
  });
}

export async function capacityTest({ cli, stepSeconds, repeats }) {
  const rows = [];
  let allWithin = true;
  for (const spec of SERVERS) {
    const { child, info } = await startHelper(['env', ...Object.entries(spec.env).map(([k, v]) => `${k}=${v}`), 'node', join(ROOT, 'bench/lib/capacity-server.mjs')]);
    const dir = mkdtempSync(join(tmpdir(), 'bench-capacity-'));
    try {
      const file = scenario(dir, `http://127.0.0.1:${info.port}`, spec.slo);
      for (let i = 0; i < repeats; i++) {
        process.stderr.write(`capacity: ${spec.label}, search ${i + 1}/${repeats} …\n`);
        const out = join(dir, `out-${i}`);
        const args = ['node', cli, 'capacity', file, '--from', spec.from, '--max', '5000/s', '--step', `${stepSeconds}s`, '--warm-up', '1s', '--cool-down', '500ms', '--out', out, '--no-color'];
        const started = performance.now();
        const r = await timed(args, join(dir, `time-${i}.txt`));
        const seconds = (performance.now() - started) / 1000;
        const load = loadavg()[0];
        const doc = JSON.parse(readFileSync(join(out, 'capacity.json'), 'utf8'));
        const t = doc.targets[0];
        const ratio = t.capacity === null ? NaN : t.capacity / spec.truth;
        const within = Number.isFinite(ratio) && ratio >= spec.accept[0] && ratio <= spec.accept[1];
        allWithin &&= within;
        rows.push([
          spec.label,
          int(spec.truth),
          t.capacity === null ? `– (${t.status})` : int(t.capacity),
          pct(ratio - 1),
          `${spec.accept.map((a) => int(a * spec.truth)).join('–')}: ${within ? 'yes' : '**no**'}`,
          t.firstFailure === null ? '–' : `${int(t.firstFailure)} (${t.brokenSlos.map((s) => s.expr).join(', ')})`,
          String(t.probes.length),
          fmt(seconds, 1),
          fmt(r.cpuSec, 1),
          fmt(load, 1),
          String(r.code),
        ]);
      }
    } finally {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const markdown = [
    `### 7. Capacity search — servers of known capacity, ${stepSeconds} s probes after a 1 s warm-up`,
    '',
    table(['server', 'true capacity (/s)', 'reported (/s)', 'error', 'accepted range: within', 'first failure (/s, SLO)', 'probes', 'search took (s)', 'bench CPU (s)', 'load avg (1 min)', 'exit'], rows),
    '',
    '- `bench capacity --from 100/s --max 5000/s --step Ns --warm-up 1s --cool-down 500ms`, default precision 5%; server and bench each their own process, not pinned.',
    '- The slot server\'s true capacity is k × 1000 / s = 200/s; timer overhead makes its real one a little lower, so the knee sits just below.',
    '- A probe where bench fell behind its schedule is labelled generator-limited and never reported as capacity; on a machine whose load average is well above its cores, timers of both processes fire late, so the searches say so (or the token bucket, stalled itself, refuses early) rather than find the true figure.',
    `- Every search within its accepted range: **${allWithin ? 'yes' : 'NO'}**.`,
  ].join('\n');
  return { markdown, allWithin };
}
