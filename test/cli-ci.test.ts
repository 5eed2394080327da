// Acceptance (issue 5): CI gates end to end — exit codes, JUnit, GitHub summary and annotations,
// Ctrl-C, abortOnFail, and secrets kept out of every output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, type AtomicFs } from '../src/cli/atomic.js';
import { exitCodeAfterWriting, writeReports } from '../src/cli/write-reports.js';
import { startServer, type TestServer } from './helpers/servers.js';
import { REPO_ROOT, ensureBuilt, fixture, readJson, runCli, tempDir, type CliResult } from './helpers/cli.js';

const SECRET = 'e2e-Secr3t-token-7f3a9c';

describe('bench run on CI — 5% errors against error_rate < 1%, with a secret bearer token', () => {
  let server: TestServer;
  const out = tempDir();
  const reportDir = join(out.path, 'run');
  const summaryFile = join(out.path, 'step-summary.md');
  const authHeaders = new Set<string>();
  let run: CliResult;

  beforeAll(async () => {
    await ensureBuilt();
    let seen = 0;
    server = await startServer((req, res) => {
      authHeaders.add(String(req.headers.authorization));
      seen++;
      res.statusCode = seen % 20 === 0 ? 500 : 200;
      res.end('ok');
    });
    writeFileSync(summaryFile, '');
    run = await runCli(['run', fixture('errors-5pct.yml'), '--target', server.url, '--out', reportDir], {
      env: { SECRET, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile },
      timeoutMs: 20_000,
    });
  });
  afterAll(async () => {
    await server.close();
    out.remove();
  });

  it('exits 1, and result.json shows the 5% error rate that failed', () => {
    expect(run.code).toBe(1);
    const result = readJson(join(reportDir, 'result.json'));
    expect(result.pass).toBe(false);
    const errorRate = result.slo.find((s: { expr: string }) => s.expr === 'error_rate < 1%');
    expect(errorRate.pass).toBe(false);
    expect(errorRate.actual).toBeGreaterThan(0.045);
    expect(errorRate.actual).toBeLessThan(0.055);
    expect(result.totals.statusCodes['500']).toBe(Math.floor(server.requests() / 20));
  });

  it('junit.xml has one testcase per SLO, with exactly the failed one marked', () => {
    const xml = readFileSync(join(reportDir, 'junit.xml'), 'utf8');
    const testcases = [...xml.matchAll(/<testcase\b[^>]*name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)];
    expect(testcases.map((m) => m[1])).toEqual(['p95 &lt; 2s', 'error_rate &lt; 1%', 'requests &gt;= 1']);
    const failed = testcases.filter((m) => (m[3] ?? '').includes('<failure'));
    expect(failed.map((m) => m[1])).toEqual(['error_rate &lt; 1%']);
    expect(xml).toMatch(/failures="1"/);
  });

  it('appends the SLO table to GITHUB_STEP_SUMMARY', () => {
    const summary = readFileSync(summaryFile, 'utf8');
    const markdown = readFileSync(join(reportDir, 'report.md'), 'utf8');
    expect(summary).toContain('### SLOs');
    expect(summary).toMatch(/\| error\\?_rate &lt; 1% \|.*❌ fail/);
    expect(summary).toMatch(/\| p95 &lt; 2s \|.*✅ pass/);
    expect(summary.trimEnd()).toBe(markdown.trimEnd());
  });

  it('prints one ::error annotation per failed SLO on stderr (GITHUB_ACTIONS=true), never on stdout', () => {
    expect(run.stdout).not.toContain('::error');
    const annotations = run.stderr.split('\n').filter((line) => line.startsWith('::error'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toContain('error_rate < 1%');
  });

  it('sends the ${SECRET} bearer token, yet it appears in no report file, stdout or stderr', () => {
    expect([...authHeaders]).toEqual([`Bearer ${SECRET}`]);
    const files = readdirSync(reportDir);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) expect(readFileSync(join(reportDir, file), 'utf8'), file).not.toContain(SECRET);
    expect(readFileSync(summaryFile, 'utf8')).not.toContain(SECRET);
    expect(run.stdout).not.toContain(SECRET);
    expect(run.stderr).not.toContain(SECRET);
  });

  it('`bench report result.json --format md` reproduces report.md', async () => {
    const rendered = await runCli(['report', join(reportDir, 'result.json'), '--format', 'md'], { timeoutMs: 10_000 });
    expect(rendered.code).toBe(0);
    expect(rendered.stdout.trimEnd()).toBe(readFileSync(join(reportDir, 'report.md'), 'utf8').trimEnd());
  });
});

describe('bench run — stopping early', () => {
  const out = tempDir();
  afterAll(() => out.remove());

  it('SIGINT 3 s into a 30 s run exits 130 within 5 s and writes the requests made so far', async () => {
    await ensureBuilt();
    const server = await startServer();
    const dir = join(out.path, 'interrupted');
    let signalledAt = 0;
    let timer: NodeJS.Timeout | undefined;
    try {
      const run = await runCli(['run', fixture('interrupt.yml'), '--target', server.url, '--out', dir, '--quiet'], {
        timeoutMs: 20_000,
        onSpawn: (child) => {
          timer = setTimeout(() => {
            signalledAt = performance.now();
            child.kill('SIGINT');
          }, 3000);
        },
      });
      const exitedAfterSignalMs = performance.now() - signalledAt;
      expect(signalledAt).toBeGreaterThan(0);
      expect(run.code).toBe(130);
      expect(exitedAfterSignalMs).toBeLessThan(5000);
      const result = readJson(join(dir, 'result.json'));
      expect(result.stopReason).toBe('interrupted');
      expect(result.totals.requests).toBeGreaterThan(0);
      expect(result.totals.requests).toBeLessThan(50 * 30);
      expect(result.totals.requests).toBeLessThanOrEqual(server.requests());
      expect(existsSync(join(dir, 'report.md'))).toBe(true);
    } finally {
      clearTimeout(timer);
      await server.close();
    }
  });

  it('abortOnFail stops a 20 s run against an always-500 server early, exits 1, writes reports', async () => {
    await ensureBuilt();
    const server = await startServer((_req, res) => {
      res.statusCode = 500;
      res.end('down');
    });
    const dir = join(out.path, 'aborted');
    try {
      const run = await runCli(['run', fixture('abort.yml'), '--target', server.url, '--out', dir], { timeoutMs: 25_000 });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('stopped early');
      const result = readJson(join(dir, 'result.json'));
      expect(result.stopReason).toBe('slo-abort');
      expect(result.pass).toBe(false);
      expect(result.durationMs).toBeLessThan(10_000);
      expect(result.totals.requests).toBeGreaterThan(0);
      expect(result.slo[0]).toMatchObject({ expr: 'error_rate < 5%', pass: false });
      for (const file of ['report.md', 'junit.xml', 'report.html', 'latency.hlog']) expect(existsSync(join(dir, file)), file).toBe(true);
    } finally {
      await server.close();
    }
  });
});

// Issue 11, hole 7: under --json, stdout is the JSON and nothing else, also on GitHub Actions with a
// failing SLO (the ::error annotations go to stderr, which the Actions runner reads as well).
describe('--json on GitHub Actions with a failing SLO', () => {
  let server: TestServer;
  const out = tempDir();
  const runDir = join(out.path, 'run');
  const actions = { GITHUB_ACTIONS: 'true' };

  beforeAll(async () => {
    await ensureBuilt();
    server = await startServer((_req, res) => setTimeout(() => res.end('slow'), 30));
  });
  afterAll(async () => {
    await server.close();
    out.remove();
  });

  it('bench run --json prints only result.json on stdout; the annotation is on stderr', async () => {
    const run = await runCli(['run', fixture('failing-slo.yml'), '--target', server.url, '--out', runDir, '--json'], { env: actions, timeoutMs: 20_000 });
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.pass).toBe(false);
    expect(result.totals.requests).toBe(server.requests());
    expect(run.stdout).not.toContain('::error');
    expect(run.stderr.split('\n').filter((l) => l.startsWith('::error'))).toHaveLength(1);
  });

  it('bench merge --json prints only the merged result on stdout', async () => {
    const merged = join(out.path, 'merged');
    const run = await runCli(['merge', join(runDir, 'result.json'), '--out', merged, '--json', '--quiet'], { env: actions, timeoutMs: 10_000 });
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.pass).toBe(false);
    expect(result.totals.requests).toBe(readJson(join(runDir, 'result.json')).totals.requests);
    expect(run.stderr).toContain('::error');
  });

  it('bench compare --json prints only the comparison on stdout', async () => {
    const file = join(runDir, 'result.json');
    const run = await runCli(['compare', file, file, '--json'], { env: actions, timeoutMs: 10_000 });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).overall.regressed).toBe(false);
  });
});

// Issue 11, hole 10: a full disk while writing reports names the file, leaves no temp file behind and
// still prints the verdict; the exit code stays the verdict's, or 3 when result.json itself is missing.
const ENOSPC = (): NodeJS.ErrnoException => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

describe('writing reports to a full disk (injected file system)', () => {
  const out = tempDir();
  afterAll(() => out.remove());

  it('writeFileAtomic names the file, removes its half-written temp file and leaves no target', () => {
    const dir = join(out.path, 'atomic');
    const fs: Partial<AtomicFs> = {
      writeFileSync: (path, content) => {
        writeFileSync(path, String(content).slice(0, 10)); // the disk fills part-way through
        throw ENOSPC();
      },
    };
    expect(() => writeFileAtomic(join(dir, 'report.html'), 'x'.repeat(1000), fs)).toThrow(/report\.html.*no space left on device/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writeReports writes every other report, says which one failed, and never throws', async () => {
    const result = readJson(join(REPO_ROOT, 'test', 'fixtures', 'results', 'passing.json'));
    const lines: string[] = [];
    const dir = join(out.path, 'reports');
    const outcome = writeReports(result, {
      outDir: dir, redact: (t) => t, env: {}, log: (l) => lines.push(l),
      write: (path, content) => (path.endsWith('report.html') ? (() => { throw ENOSPC(); })() : writeFileAtomic(path, content)),
    });
    expect(outcome.failed.map((f) => f.file)).toEqual(['report.html']);
    expect(readdirSync(dir).sort()).toEqual(['junit.xml', 'latency.hlog', 'report.md', 'result.json']);
    expect(lines.join('\n')).toMatch(/could not write .*report\.html/);
    expect(exitCodeAfterWriting(0, outcome)).toBe(0);
    expect(exitCodeAfterWriting(1, outcome)).toBe(1);
    const noResult = writeReports(result, { outDir: join(out.path, 'none'), redact: (t) => t, env: {}, log: () => {}, write: () => { throw ENOSPC(); } });
    expect(exitCodeAfterWriting(0, noResult)).toBe(3);
    expect(exitCodeAfterWriting(1, noResult)).toBe(1);
  });
});

/** A tiny tmpfs needs root; without it the injected tests above still cover the logic. */
function mountTmpfs(dir: string, size: string): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(process.getuid?.() !== 0)('bench run writing to a real 64 KiB tmpfs', () => {
  const diskRoot = tempDir();
  const fullDisk = join(diskRoot.path, 'disk');
  let mounted = false;
  let server: TestServer;
  beforeAll(async () => {
    await ensureBuilt();
    mounted = mountTmpfs(fullDisk, '64k'); // mounted here, not at collection: afterAll always unmounts it
    server = await startServer((_req, res) => setTimeout(() => res.end('slow'), 30));
  });
  afterAll(async () => {
    await server.close();
    if (mounted) execFileSync('umount', [fullDisk]);
    if (existsSync(fullDisk)) rmdirSync(fullDisk);
    diskRoot.remove();
  });

  it('report.html does not fit: a clear line naming it, no temp file, the verdict printed, exit 1 (the SLO verdict)', async (ctx) => {
    if (!mounted) return ctx.skip();
    const dir = join(fullDisk, 'run');
    const run = await runCli(['run', fixture('failing-slo.yml'), '--target', server.url, '--out', dir], { timeoutMs: 20_000 });
    expect(run.stderr).not.toContain('internal error');
    expect(run.stderr).toMatch(/could not write \S*report\.html: no space left on device/);
    expect(run.stderr).toContain('FAIL'); // the verdict is still printed
    expect(run.code).toBe(1);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).toContain('result.json');
    expect(files).not.toContain('report.html');
    expect(readJson(join(dir, 'result.json')).pass).toBe(false);
  });

  it('a disk already full: result.json cannot be written, the verdict is still printed, exit 3', async (ctx) => {
    if (!mounted) return ctx.skip();
    const filler = join(fullDisk, 'filler');
    try { writeFileSync(filler, Buffer.alloc(64 * 1024)); } catch { /* full: exactly what we want */ }
    const dir = join(fullDisk, 'full');
    const run = await runCli(['run', fixture('open-200.yml'), '--target', server.url, '--duration', '1s', '--out', dir], { timeoutMs: 20_000 });
    expect(run.stderr).not.toContain('internal error');
    expect(run.stderr).toMatch(/could not write \S*result\.json: no space left on device/);
    expect(run.stderr).toMatch(/PASS|FAIL/);
    expect(run.code).toBe(3);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
