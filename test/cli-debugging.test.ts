// Debugging a failed check: the first failures with expected and actual values (terminal, result.json),
// --http-debug (one journey printed, redacted, no load) and validate --dry-run (rendered, not sent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from './helpers/servers.js';
import { ensureBuilt, readJson, runCli, tempDir } from './helpers/cli.js';

let server: TestServer;
const dir = tempDir('bench-debug-');
const TOKEN = 'sekrit-token-4711';

beforeAll(async () => {
  await ensureBuilt();
  server = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/login') return res.end(JSON.stringify({ token: 'issued-abc-123', user: 'ann' }));
    res.end(JSON.stringify([{ userId: '2', name: 'Ann' }]));
  });
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

function scenario(name: string, load = 'load:\n  - { duration: 500ms, rate: 10/s }\n'): string {
  const file = join(dir.path, name);
  writeFileSync(
    file,
    `${load}http:
  headers:
    authorization: "Bearer \${API_TOKEN}"
flows:
  - name: browse
    steps:
      - name: login
        post: /login
        json: { user: ann }
        capture: { session: $.token }
      - name: list
        get: /users?session={{ session }}
        expect:
          json:
            $[0].userId: 2
slo:
  - error_rate < 100%
`,
  );
  return file;
}

describe('a failed check says what was expected and what came back', () => {
  it('a failing JSON check shows expected and actual in the terminal and in result.json', async () => {
    const out = join(dir.path, 'out-check');
    const run = await runCli(['run', scenario('check.yml'), '--target', server.url, '--out', out], { env: { API_TOKEN: TOKEN }, timeoutMs: 20_000 });
    const text = run.stdout + run.stderr;
    expect(text).toContain('list json $[0].userId: expected 2 (number), got "2" (string) · status 200');
    const result = readJson(join(out, 'result.json'));
    const list = result.endpoints.find((e: { name: string }) => e.name === 'list');
    expect(list.checks['json $[0].userId']).toBe(server.requests() / 2);
    expect(list.failures.length).toBe(3);
    expect(list.failures[0]).toMatchObject({ check: 'json $[0].userId', expected: '2 (number)', actual: '"2" (string)', status: 200 });
    expect(list.failures[0].body).toBe('[{"userId":"2","name":"Ann"}]');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });
});

describe('--http-debug', () => {
  it("prints one journey's exchanges with the Authorization header redacted, sends no load", async () => {
    const before = server.requests();
    const run = await runCli(['run', scenario('debug.yml'), '--target', server.url, '--http-debug=full'], { env: { API_TOKEN: TOKEN }, timeoutMs: 20_000 });
    // one iteration of the one flow: login and list, nothing more
    expect(server.requests() - before).toBe(2);
    expect(run.stdout).toContain(`> POST ${server.url}/login`);
    expect(run.stdout).toContain('> authorization: ***');
    expect(run.stdout).toContain('> {"user":"ann"}');
    expect(run.stdout).toMatch(/< 200 \(\d+\.\d ms\)/);
    expect(run.stdout).toContain('< content-type: application/json');
    expect(run.stdout).toContain('< {"token":"issued-abc-123","user":"ann"}');
    expect(run.stdout).toContain('> GET ' + server.url + '/users?session=issued-abc-123');
    expect(run.stdout).toContain('✗ list json $[0].userId: expected 2 (number), got "2" (string) (status 200)');
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(run.code).toBe(1);
  });

  it('without =full prints headers but no bodies', async () => {
    const run = await runCli(['run', scenario('debug2.yml'), '--target', server.url, '--http-debug'], { env: { API_TOKEN: TOKEN }, timeoutMs: 20_000 });
    expect(run.stdout).toContain('> authorization: ***');
    expect(run.stdout).not.toContain('issued-abc-123"');
    expect(run.stdout).toContain('(body: 14 bytes; --http-debug=full prints it)');
  });
});

describe('bench validate --dry-run', () => {
  it("prints the first iteration's requests without sending any", async () => {
    const before = server.requests();
    const run = await runCli(['validate', scenario('dry.yml'), '--dry-run'], { env: { API_TOKEN: TOKEN }, timeoutMs: 20_000 });
    expect(run.code).toBe(0);
    expect(server.requests()).toBe(before);
    expect(run.stdout).toContain('> POST /login');
    expect(run.stdout).toContain('> authorization: ***');
    expect(run.stdout).toContain('> {"user":"ann"}');
    // the captured session is only known after sending: it shows as its template
    expect(run.stdout).toContain('> GET /users?session={{ session }}');
    expect(run.stdout).not.toContain(TOKEN);
  });
});
