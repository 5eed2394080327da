// `bench convert`: an Artillery script's common subset becomes a bench scenario that validates and runs as
// the script would (the server counts the requests); what is not converted heads the file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { convertArtillery } from '../src/scenario/convert-artillery.js';
import { parseScenario } from '../src/scenario/load.js';
import { ensureBuilt, runCli, tempDir } from './helpers/cli.js';
import { startServer } from './helpers/servers.js';

const dir = tempDir('bench-convert-');
afterAll(() => dir.remove());

const SCRIPT = (target: string): string => `config:
  target: "${target}"
  phases:
    - duration: 2
      arrivalRate: 5
      name: steady
  payload:
    path: users.csv
    fields: [username, password]
    skipHeader: true
  ensure:
    p95: 2000
    maxErrorRate: 1
  plugins:
    expect: {}
scenarios:
  - name: login
    flow:
      - post:
          url: /login
          json: { user: "{{ username }}", n: "{{ $randomNumber(1, 10) }}" }
          capture:
            - json: "$.token"
              as: token
          expect:
            - statusCode: 200
            - contentType: json
      - think: 0.05
      - get:
          url: "/me/{{ token }}"
          expect:
            - statusCode: [200, 304]
      - loop:
          - get: { url: /x }
        count: 3
`;

describe('convertArtillery', () => {
  it('maps phases, payload, flows, capture, expect and ensure onto bench, and lists what it left out', async () => {
    const doc = parse(SCRIPT('http://127.0.0.1:9'));
    const { text, notConverted } = convertArtillery(doc, 'load.yml');
    expect(notConverted).toEqual([
      'config.payload: users.csv: bench names the fields from its header row: check it reads username,password',
      'scenarios[0].flow[3]: loop, count (only get/post/put/patch/delete and think convert)',
      'config.plugins: not converted',
    ]);
    const header = text.split('\n').filter((l) => l.startsWith('#'));
    expect(header[0]).toContain('Converted from the Artillery script load.yml by bench convert');
    for (const note of notConverted) expect(header).toContain(`#   - ${note}`);
    const scenario = parse(text);
    expect(scenario.load).toEqual([{ name: 'steady', duration: '2s', rate: '5/s' }]);
    expect(scenario.data).toEqual({ users: { csv: 'users.csv' } });
    expect(scenario.flows[0].steps).toEqual([
      { post: '/login', json: { user: '{{ users.username }}', n: '{{ randomInt(1, 10) }}' }, expect: { status: 200, headers: { 'content-type': '/json/' } }, capture: { token: '$.token' } },
      { think: '0.05s' },
      { get: '/me/{{ token }}', expect: { status: [200, 304] } },
    ]);
    expect(scenario.slo).toEqual(['p95 <= 2000ms', 'error_rate <= 1%']);
    // it is a valid bench scenario (with its CSV beside it)
    writeFileSync(join(dir.path, 'users.csv'), 'username,password\nalice,secret\n');
    const plan = await parseScenario(text, join(dir.path, 'converted.yml'), { env: {} });
    expect(plan.phases).toMatchObject([{ kind: 'open', rate: 5, rampTo: 5, durationMs: 2000 }]);
    expect(plan.slo.map((s) => s.expr)).toEqual(['p95 <= 2000ms', 'error_rate <= 1%']);
  });

  it('says there are no SLOs when the script has no ensure, rather than gating on bench\'s defaults', () => {
    const { text } = convertArtillery({ config: { target: 'http://x', phases: [{ duration: 60, arrivalCount: 30 }] }, scenarios: [{ flow: [{ get: { url: '/' } }] }] }, 'a.yml');
    const scenario = parse(text);
    expect(scenario.slo).toEqual([]);
    // arrivalCount: 30 arrivals over 60 s is 0.5 a second
    expect(scenario.load).toEqual([{ duration: '60s', rate: '0.5/s' }]);
    expect(text).toContain('# No ensure: in the script, so no SLOs here');
  });
});

describe('bench convert', () => {
  it('writes a scenario that bench runs as the script would: every iteration logs in, the captured token reaches the next request', async () => {
    await ensureBuilt();
    const seen: string[] = [];
    const server = await startServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/login' ? '{"token":"t0k"}' : '{"ok":true}');
    });
    try {
      const script = join(dir.path, 'art.yml');
      writeFileSync(script, SCRIPT(server.url));
      writeFileSync(join(dir.path, 'users.csv'), 'username,password\nalice,secret\nbob,hunter2\n');
      const out = join(dir.path, 'bench.yml');
      const converted = await runCli(['convert', script, '-o', out]);
      expect(converted.code, converted.stderr).toBe(0);
      expect(converted.stderr.trim()).toBe(`bench convert: 3 parts of ${script} not converted — listed at the top of ${out}`);
      const again = await runCli(['convert', script, '-o', out]);
      expect(again.code).toBe(2);
      expect(again.stderr.trim()).toBe(`bench: ${out} exists; pass --force to overwrite it`);

      const run = await runCli(['run', out, '--out', join(dir.path, 'report'), '--quiet'], { timeoutMs: 30_000 });
      expect(run.code, run.stderr).toBe(0);
      // 5 arrivals/s for 2 s: 10 iterations, each a login and a /me carrying the token the login returned
      expect(seen.filter((s) => s === 'POST /login')).toHaveLength(10);
      expect(seen.filter((s) => s === 'GET /me/t0k')).toHaveLength(10);
      expect(seen).toHaveLength(20);
      const result = JSON.parse(readFileSync(join(dir.path, 'report', 'result.json'), 'utf8'));
      expect(result.totals.requests).toBe(seen.length);
      expect(result.slo.map((s: { expr: string; pass: boolean }) => [s.expr, s.pass])).toEqual([['p95 <= 2000ms', true], ['error_rate <= 1%', true]]);
    } finally {
      await server.close();
    }
  });

  it('prints to stdout without -o; a file that is not an Artillery script, or none, is one line and exit 2', async () => {
    await ensureBuilt();
    const script = join(dir.path, 'small.yml');
    writeFileSync(script, 'config:\n  target: http://127.0.0.1:9\n  phases:\n    - { duration: 1, arrivalRate: 1 }\nscenarios:\n  - flow:\n      - get: { url: / }\n');
    const printed = await runCli(['convert', script]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(parse(printed.stdout)).toMatchObject({ target: 'http://127.0.0.1:9', load: [{ duration: '1s', rate: '1/s' }], flows: [{ steps: [{ get: '/' }] }] });
    expect(printed.stdout).toContain('# Everything in it was converted.');
    expect(printed.stderr.trim()).toBe(`bench convert: ${script} converted in full; check it with bench validate`);

    const bench = join(dir.path, 'bench-native.yml');
    writeFileSync(bench, 'load:\n  - { duration: 1s, rate: 1/s }\nflows:\n  - steps:\n      - get: /\n');
    for (const [file, message] of [
      [bench, `bench: ${bench}: not an Artillery script (no config: or scenarios:)`],
      [join(dir.path, 'missing.yml'), `bench: ${join(dir.path, 'missing.yml')}: no such file`],
    ] as const) {
      const bad = await runCli(['convert', file]);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim()).toBe(message);
      expect(bad.stdout).toBe('');
    }
    expect(existsSync(join(dir.path, 'missing.yml'))).toBe(false);
  });

  it('an -o it cannot write to is one line naming the file and why, exit 3 — not an internal error', async () => {
    await ensureBuilt();
    const script = join(dir.path, 'tiny.yml');
    writeFileSync(script, 'config:\n  target: http://127.0.0.1:9\n  phases:\n    - { duration: 1, arrivalRate: 1 }\nscenarios:\n  - flow:\n      - get: { url: / }\n');
    const blocker = join(dir.path, 'a-file');
    writeFileSync(blocker, 'a file, not a folder\n');
    const out = join(blocker, 'scenario.yml');
    const run = await runCli(['convert', script, '-o', out]);
    expect(run.code).toBe(3);
    expect(run.stderr.trim()).toMatch(new RegExp(`^bench: could not write ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*\\((EEXIST|ENOTDIR)\\)$`));
    expect(run.stderr).not.toMatch(/internal error/);
  });
});
