// Where the remaining cost goes: bench's CLI under `node --cpu-prof` (closed model, 50 connections,
// nginx), self time summed by area and by function.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScenario } from './generators.mjs';
import { measured } from './proc.mjs';
import { fmt, table } from './stats.mjs';

/** Self time per call frame of a .cpuprofile, in ms. */
export function selfTimes(profile) {
  const byNode = new Map();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const frames = new Map();
  for (const node of profile.nodes) {
    const ms = byNode.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'}\t${url}\t${lineNumber + 1}`;
    frames.set(key, (frames.get(key) ?? 0) + ms);
  }
  return [...frames].map(([key, ms]) => {
    const [fn, url, line] = key.split('\t');
    return { fn, url, line: Number(line), ms, area: areaOf(fn, url) };
  });
}

/** Which part of the stack a frame belongs to. */
export function areaOf(fn, url) {
  if (fn === '(idle)') return 'idle (waiting for nginx / the kernel)';
  if (fn === '(garbage collector)') return 'garbage collection';
  if (/^(writeLatin1String|writeUtf8String|writev|writeBuffer|readStart|close)$/.test(fn) && !url) return 'socket syscalls (write/read)';
  if (url.includes('node_modules/undici/') || url.startsWith('wasm://')) return 'undici (request, llhttp parser)';
  if (url.includes('node_modules/hdr-histogram-js/')) return 'hdr-histogram-js';
  // The lean HTTP/1.1 client: its JS (sockets, pool, parser callbacks) and node's native llhttp under it.
  if (/\/(dist|build)\/engine\/lean-[^/]*\.js/.test(url)) return 'bench lean HTTP client';
  if ((fn === 'execute' || fn === 'finish') && !url) return 'llhttp parser (native, node)';
  if (/\/(dist|build)\/(engine|metrics)\//.test(url)) return 'bench engine + metrics';
  if (/\/(dist|build)\/scenario\//.test(url)) return 'bench scenario (render, verify)';
  if (/\/dist\//.test(url)) return 'bench other (cli, reports)';
  if (url.startsWith('node:internal/modules') || fn === 'compileSourceTextModule' || fn === 'wrapSafe') return 'module loading (startup)';
  if (url.startsWith('node:')) return 'node core (net, streams, timers)';
  return 'other native / VM';
}

export async function profileTest({ cli, nginx, seconds }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-prof-'));
  const scenario = writeScenario({ name: 'profile', target: nginx.url, load: `{ duration: ${seconds}s, vus: 50 }`, connections: 50 });
  try {
    process.stderr.write('profile: bench under --cpu-prof …\n');
    const r = await measured(['node', '--cpu-prof', `--cpu-prof-dir=${dir}`, cli, 'run', scenario.file, '--json', '--quiet', '--out', join(scenario.dir, 'out')]);
    const requests = JSON.parse(r.stdout).totals.requests;
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    const frames = selfTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    const total = frames.reduce((s, f) => s + f.ms, 0);
    const busy = frames.filter((f) => !f.area.startsWith('idle')).reduce((s, f) => s + f.ms, 0);
    const areas = new Map();
    for (const f of frames) areas.set(f.area, (areas.get(f.area) ?? 0) + f.ms);
    const areaRows = [...areas]
      .filter(([a]) => !a.startsWith('idle'))
      .sort((a, b) => b[1] - a[1])
      .map(([area, ms]) => [area, fmt((100 * ms) / busy, 1) + '%', fmt((ms * 1000) / requests, 2)]);
    const top = frames
      .filter((f) => !f.area.startsWith('idle'))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15)
      .map((f) => [`\`${f.fn}\``, f.url ? `${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|build)\//, 'dist/')}:${f.line}` : '(native)', fmt((100 * f.ms) / busy, 1) + '%']);
    const markdown = [
      `### 5. Profile — bench CLI under \`node --cpu-prof\`, closed model, 50 connections, ${seconds} s (${requests.toLocaleString('en-US')} requests; ${fmt((100 * busy) / total, 0)}% of samples busy)`,
      '',
      'Busy self time by area (µs per request = area CPU ÷ completed requests, profiler overhead included):',
      '',
      table(['area', 'share of busy time', 'µs / request'], areaRows),
      '',
      'Top functions by self time:',
      '',
      table(['function', 'where', 'share of busy time'], top),
    ].join('\n');
    return { markdown };
  } finally {
    scenario.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
