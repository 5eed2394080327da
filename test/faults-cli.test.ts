// Hostile targets through the real CLI (spawned `node bin/bench.js run`): for each fault the run
// completes, exits 0 or 1 (never a crash, never 3), writes its reports and names the error kind.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedPort, startFaultServer, type Fault, type FaultServer } from './helpers/fault-server.js';
import { STACK_LINE, ensureBuilt, readJson, runCli, runNode, tempDir, type CliResult } from './helpers/cli.js';

const dir = tempDir('bench-faults-');
let server: FaultServer;

beforeAll(async () => {
  await ensureBuilt();
  server = await startFaultServer({ trickleEveryMs: 50 });
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

interface Scenario {
  name: string;
  target: string;
  path: string;
  rate?: number;
  extra?: string;
}

/** A short open-model scenario: `rate`/s for 1 s, a 500 ms total deadline, an SLO every fault breaks. */
function writeScenario({ name, target, path, rate = 20, extra = '' }: Scenario): string {
  const file = join(dir.path, `${name}.yml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      `target: ${target}`,
      'http:',
      '  timeout: 500ms',
      'load:',
      `  - { duration: 1s, rate: ${rate}/s }`,
      'flows:',
      '  - name: fault',
      '    steps:',
      '      - name: fault',
      `        get: ${path}`,
      'slo:',
      '  - error_rate < 1%',
      extra,
    ].join('\n'),
  );
  return file;
}

interface FaultRun {
  cli: CliResult;
  outDir: string;
  result: any;
}

async function runFault(fault: Fault, rate = 20): Promise<FaultRun> {
  const file = writeScenario({ name: `fault-${fault}`, target: server.url, path: `/${fault}`, rate });
  const outDir = join(dir.path, `out-${fault}`);
  const cli = await runCli(['run', file, '--out', outDir], { timeoutMs: 30_000 });
  const resultFile = join(outDir, 'result.json');
  return { cli, outDir, result: existsSync(resultFile) ? readJson(resultFile) : null };
}

function expectCompletedRun({ cli, outDir, result }: FaultRun, exitCode: 0 | 1): void {
  expect(cli.timedOut).toBe(false);
  expect(cli.stderr).not.toMatch(/internal error/);
  expect(cli.stderr).not.toMatch(STACK_LINE);
  expect(cli.code, cli.stderr).toBe(exitCode);
  expect(result, 'result.json').not.toBeNull();
  for (const report of ['report.md', 'junit.xml', 'report.html']) expect(existsSync(join(outDir, report)), report).toBe(true);
}

describe('bench run against each fault', () => {
  const erroring: Array<{ fault: Fault; kind: string }> = [
    { fault: 'reset', kind: 'reset' },
    { fault: 'cut-headers', kind: 'protocol' },
    { fault: 'hang', kind: 'timeout' },
    { fault: 'garbage', kind: 'protocol' },
    { fault: 'short-body', kind: 'protocol' },
    { fault: 'status-503', kind: 'status' },
    { fault: 'trickle', kind: 'timeout' },
  ];
  const runs = new Map<Fault, Promise<FaultRun>>();
  // The runs are independent child processes with no timing assertions: start them three at a time.
  beforeAll(async () => {
    const faults: Array<[Fault, number]> = [...erroring.map((e): [Fault, number] => [e.fault, 20]), ['close', 20], ['huge', 5]];
    for (let i = 0; i < faults.length; i += 3) {
      const batch = faults.slice(i, i + 3).map(([fault, rate]) => {
        const run = runFault(fault, rate);
        runs.set(fault, run);
        return run;
      });
      await Promise.all(batch);
    }
  }, 120_000);

  for (const { fault, kind } of erroring) {
    it(`/${fault}: exit 1, result.json with every request counted as ${kind}`, async () => {
      const run = await runs.get(fault)!;
      expectCompletedRun(run, 1);
      expect(run.result.totals.requests).toBe(20);
      expect(run.result.totals.errorKinds).toEqual({ [kind]: 20 });
      expect(run.result.endpoints[0].errorKinds).toEqual({ [kind]: 20 });
      // Transport faults get a one-line description; a 5xx speaks for itself in the status codes.
      if (kind === 'status') expect(run.result.totals.statusCodes).toEqual({ '503': 20 });
      else expect(run.cli.stderr).toContain(`first ${kind} error:`);
    });
  }

  it('/close: Connection: close on every response is not an error (exit 0)', async () => {
    const run = await runs.get('close')!;
    expectCompletedRun(run, 0);
    expect(run.result.totals.errors).toBe(0);
    expect(run.result.totals.statusCodes).toEqual({ '200': 20 });
  });

  it('/huge: 20 MB bodies are read to the end without errors (exit 0)', async () => {
    const run = await runs.get('huge')!;
    expectCompletedRun(run, 0);
    expect(run.result.totals.requests).toBe(5);
    expect(run.result.totals.statusCodes).toEqual({ '200': 5 });
  });
});

describe('a target that is down from the start', () => {
  it('one clear message naming the refused connection, reports written, exit 1', async () => {
    const port = await refusedPort();
    const file = writeScenario({ name: 'dead', target: `http://127.0.0.1:${port}`, path: '/' });
    const outDir = join(dir.path, 'out-dead');
    const cli = await runCli(['run', file, '--out', outDir, '--quiet'], { timeoutMs: 20_000 });
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stderr).not.toMatch(STACK_LINE);
    const result = readJson(join(outDir, 'result.json'));
    expect(result.totals.errorKinds).toEqual({ connect: 20 });
    expect(result.pass).toBe(false);
  });

  it('names the refusal when not quiet: "connection refused at 127.0.0.1:9"', async () => {
    const file = writeScenario({ name: 'dead9', target: 'http://127.0.0.1:9', path: '/' });
    const cli = await runCli(['run', file, '--out', join(dir.path, 'out-dead9')], { timeoutMs: 20_000 });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('connection refused at 127.0.0.1:9');
    expect(cli.stderr.match(/connection refused/g)).toHaveLength(1);
  });

  it('--preflight: exits 3 fast with the same message and sends no load', async () => {
    const port = await refusedPort();
    const file = writeScenario({ name: 'dead-preflight', target: `http://127.0.0.1:${port}`, path: '/' });
    const outDir = join(dir.path, 'out-dead-preflight');
    const cli = await runCli(['run', file, '--out', outDir, '--preflight'], { timeoutMs: 20_000 });
    expect(cli.code).toBe(3);
    expect(cli.stderr).toContain(`connection refused at 127.0.0.1:${port}`);
    expect(cli.stderr).not.toMatch(STACK_LINE);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(outDir, 'result.json'))).toBe(false);
  });

  it('--preflight lets a live target through', async () => {
    const file = writeScenario({ name: 'live-preflight', target: server.url, path: '/ok', rate: 5 });
    const cli = await runCli(['run', file, '--out', join(dir.path, 'out-live-preflight'), '--preflight', '--quiet'], { timeoutMs: 20_000 });
    expect(cli.code, cli.stderr).toBe(0);
  });
});

describe('safety ceilings', () => {
  it('--max-rate refuses a typo of 100,000/s before sending anything (exit 2)', async () => {
    const before = server.hits('ok');
    const file = writeScenario({ name: 'typo', target: server.url, path: '/ok' });
    const cli = await runCli(['run', file, '--rate', '100000', '--max-rate', '1000', '--out', join(dir.path, 'out-typo')], { timeoutMs: 20_000 });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/100000\/s exceeds the ceiling of 1000\/s/);
    expect(cli.stderr).not.toMatch(STACK_LINE);
    expect(server.hits('ok')).toBe(before);
  });

  it('a scenario-level maxRate guards the same way', async () => {
    const file = writeScenario({ name: 'ceiling', target: server.url, path: '/ok', rate: 100, extra: 'maxRate: 50/s' });
    const cli = await runCli(['validate', file], { timeoutMs: 20_000 });
    const run = await runCli(['run', file, '--out', join(dir.path, 'out-ceiling')], { timeoutMs: 20_000 });
    expect(cli.code === 0 || cli.code === 2).toBe(true);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/exceeds the ceiling of 50\/s/);
  });
});

describe('a bug inside bench itself', () => {
  /** The real main() in a child process, with one of its parts made to throw as a bug would. */
  function runBuggyMain(args: string[]): Promise<CliResult> {
    const mainUrl = new URL('../dist/cli/main.js', import.meta.url).href;
    const script = [
      `import { Command } from 'commander';`,
      `import { main } from ${JSON.stringify(mainUrl)};`,
      `Command.prototype.parseAsync = async function () { null.boom(); };`,
      `await main(['node', 'bench', ...${JSON.stringify(args)}]);`,
    ].join('\n');
    return runNode(['--input-type=module', '-e', script]);
  }

  it('exits 3 with "internal error — please report" and no stack trace', async () => {
    const cli = await runBuggyMain(['validate', 'x.yml']);
    expect(cli.code).toBe(3);
    expect(cli.stderr).toMatch(/^bench: internal error — please report: /);
    expect(cli.stderr).toContain('--debug');
    expect(cli.stderr).not.toMatch(STACK_LINE);
  });

  it('shows the stack only under --debug', async () => {
    const cli = await runBuggyMain(['--debug', 'validate', 'x.yml']);
    expect(cli.code).toBe(3);
    expect(cli.stderr).toMatch(/internal error — please report/);
    expect(cli.stderr).toMatch(STACK_LINE);
  });
});
