// report.html in a real browser: it must render its charts from the file alone, with no network at all.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from './helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRedactor, reporters } from '../src/report/index.js';
import { writeReports } from '../src/cli/write-reports.js';
import { buildResult, failingResult } from './fixtures/results/build.js';
import { findChromium, HOW_TO_GET_CHROMIUM } from '../scripts/chromium.mjs';
const SCREENSHOT = '/tmp/report.png';

describe('report.html in chromium', () => {
  let browser: Browser | undefined;
  let dir = '';

  beforeAll(async () => {
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'bench-report-html-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders the charts and tables offline, loading nothing but itself', async () => {
    const file = join(dir, 'report.html');
    const html = reporters.html(failingResult(), { color: false });
    writeFileSync(file, html);
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
      await page.waitForFunction(() => document.querySelectorAll('.uplot canvas').length >= 3, undefined, { timeout: 10_000 });

      const sizes = await page.$$eval('.uplot canvas', (els) => els.map((c) => ({ w: c.getBoundingClientRect().width, h: c.getBoundingClientRect().height })));
      expect(sizes).toHaveLength(3);
      for (const size of sizes) {
        expect(size.w).toBeGreaterThan(100);
        expect(size.h).toBeGreaterThan(100);
      }
      for (const id of ['chart-throughput', 'chart-latency', 'chart-percentiles']) {
        expect(await page.locator(`#${id} .uplot`).count()).toBe(1);
      }
      // Legends list the series: totals plus each endpoint on the percentile chart.
      const curveLegend = (await page.locator('#chart-percentiles .u-legend').textContent()) ?? '';
      for (const name of ['TOTAL', 'get-product', 'add-to-cart']) expect(curveLegend).toContain(name);

      const sloRows = await page.$$eval('#slo-table tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));
      expect(sloRows).toHaveLength(5);
      expect(sloRows.filter((t) => t.includes('fail'))).toHaveLength(2);
      expect(await page.locator('#endpoint-table tbody tr').count()).toBe(3);
      expect(await page.title()).toBe('FAIL · bench: checkout <&> "flow"');

      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await context.close();
    }
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });

  it('still renders when written the way `bench run` writes it, with secrets to redact', async () => {
    // The CLI passes a redactor holding the run's secrets; uPlot's inlined code contains `key=`, which a
    // redactor applied to the whole file once corrupted (a page error, no charts).
    const out = join(dir, 'cli');
    writeReports(failingResult(), { outDir: out, redact: makeRedactor(['s3cret-token-value']), env: {}, log: () => undefined });
    const page = await browser!.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(pathToFileURL(join(out, 'report.html')).href, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelectorAll('.uplot canvas').length >= 3, undefined, { timeout: 10_000 });
    } finally {
      await page.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('an interrupted run with a partial last second: INTERRUPTED in the badge, a gap (no cliff) in throughput', async () => {
    const file = join(dir, 'interrupted.html');
    const base = failingResult();
    const last = base.timeline.length - 1;
    const result = {
      ...base,
      stopReason: 'interrupted' as const,
      timeline: base.timeline.map((p, i) => (i === last ? { ...p, requests: 3, errors: 0, partial: true, durationMs: 30 } : p)),
    };
    writeFileSync(file, reporters.html(result, { color: false }));
    const page = await browser!.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelectorAll('.uplot canvas').length >= 3, undefined, { timeout: 10_000 });
      expect(await page.locator('header .badge').textContent()).toBe('INTERRUPTED');
      expect(await page.locator('header .stop').textContent()).toMatch(/interrupted/);
      expect(await page.title()).toMatch(/^INTERRUPTED · /);
      const series = await page.evaluate(() => (JSON.parse(document.getElementById('bench-data')!.textContent!) as { charts: { timeline: { requests: Array<number | null> } } }).charts.timeline.requests);
      expect(series[last]).toBeNull();
      expect(series.slice(0, last).every((n) => typeof n === 'number' && n > 0)).toBe(true);
    } finally {
      await page.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('shows "No data." instead of failing when the run measured nothing', async () => {
    const file = join(dir, 'empty.html');
    const empty = buildResult({ scenario: 'empty', target: 'http://127.0.0.1:1', seconds: 0, model: 'open', endpoints: [] });
    writeFileSync(file, reporters.html(empty, { color: false }));
    const page = await browser!.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      expect(await page.locator('.chart .empty').count()).toBe(3);
      expect(await page.locator('.uplot').count()).toBe(0);
    } finally {
      await page.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('references no external resource and cannot be cut short by a "</script>" in the data', () => {
    const result = failingResult();
    result.endpoints[0]!.name = '</script><script>alert(1)</script>';
    const html = reporters.html(result, { color: false });
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
  });
});

describe('finding the browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-chrome-path-'));
  const fake = join(dir, 'google-chrome');
  writeFileSync(fake, '#!/bin/sh\n');
  chmodSync(fake, 0o755);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes CHROME_PATH when it is an executable, and nothing else when it is set', () => {
    expect(findChromium({ CHROME_PATH: fake, PATH: '' })).toBe(fake);
    expect(findChromium({ CHROME_PATH: join(dir, 'missing'), PATH: dir })).toBeNull();
  });

  it('finds a Chrome/Chromium on PATH when Debian\'s is absent', () => {
    const found = findChromium({ PATH: dir });
    expect(found === '/usr/bin/chromium' || found === fake).toBe(true);
  });

  it('says in one line how to get a browser', () => {
    expect(HOW_TO_GET_CHROMIUM).not.toContain('\n');
    expect(HOW_TO_GET_CHROMIUM).toMatch(/apt-get install -y chromium/);
    expect(HOW_TO_GET_CHROMIUM).toMatch(/CHROME_PATH/);
  });
});
