// comparison.html in a real browser, written the way `bench compare --out` writes it: the verdict sentence,
// both distributions on one chart (no console errors, nothing loaded but the file), links to each side's report.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.js';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { writeReports } from '../src/cli/write-reports.js';
import { reporters } from '../src/report/index.js';
import { failingResult, passingResult } from './fixtures/results/build.js';

const SCREENSHOT = '/tmp/comparison.png';

describe('comparison.html in chromium', () => {
  let browser: Browser | undefined;
  let dir = '';

  beforeAll(async () => {
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'bench-compare-html-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders the sentence, both curves and the table offline, and links the report.html that exists', async () => {
    await ensureBuilt();
    // base: a run folder as `bench run` leaves it (result.json + report.html); head: a lone result.json
    const baseDir = join(dir, 'runs', 'base run');
    writeReports(passingResult(), { outDir: baseDir, redact: (s) => s, env: {}, log: () => undefined });
    mkdirSync(join(dir, 'saved'), { recursive: true });
    writeFileSync(join(dir, 'saved', 'head.json'), reporters.json(failingResult(), { color: false }));
    const out = join(dir, 'cmp');
    const run = await runCli(['compare', baseDir, join(dir, 'saved', 'head.json'), '--out', out]);
    expect(run.code, run.stderr).not.toBe(2);
    const file = join(out, 'comparison.html');
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<a href="../runs/base%20run/report.html">report.html</a>');
    expect(existsSync(resolve(out, '../runs/base run/report.html'))).toBe(true);

    const fileUrl = pathToFileURL(file).href;
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    try {
      await page.goto(fileUrl, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelectorAll('.uplot canvas').length >= 1, undefined, { timeout: 10_000 });
      const size = await page.$eval('#chart-percentiles .uplot canvas', (c) => ({ w: c.getBoundingClientRect().width, h: c.getBoundingClientRect().height }));
      expect(size.w).toBeGreaterThan(100);
      expect(size.h).toBeGreaterThan(100);
      const legend = (await page.locator('#chart-percentiles .u-legend').textContent()) ?? '';
      for (const label of ['base run', 'head']) expect(legend).toContain(label);
      const sentence = (await page.locator('#verdict-sentence').textContent()) ?? '';
      expect(sentence.length).toBeGreaterThan(20);
      expect(sentence).toMatch(/^(head |No )/);
      const links = await page.$$eval('#runs-table a', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(links).toEqual([pathToFileURL(join(dir, 'runs', 'base run', 'report.html')).href]);
      expect(await page.locator('#comparison-table tr.section').count()).toBeGreaterThanOrEqual(2);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await context.close();
    }
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });
});
