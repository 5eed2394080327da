// capacity.html in a real browser: the knee and the throughput charts render from the file alone, offline.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from './helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../src/capacity/document.js';
import { capacityHtml, kneeSeries } from '../src/capacity/html.js';
import { SETTINGS, simulatedRun } from './helpers/capacity-sim.js';

const SCREENSHOT = '/tmp/capacity.png';
describe('capacity.html in chromium', () => {
  let browser: Browser | undefined;
  let dir = '';

  beforeAll(async () => {
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'bench-capacity-html-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws the knee (latency against offered rate) and achieved against offered, each probe marked, loading nothing but itself', async () => {
    const run = simulatedRun();
    const doc = buildDocument(run, SETTINGS, null);
    expect(doc.targets[0]!.status).toBe('found');
    const file = join(dir, 'capacity.html');
    writeFileSync(file, capacityHtml(doc, run.plan.slo));
    const fileUrl = pathToFileURL(file).href;
    const context = await browser!.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(fileUrl, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelectorAll('.uplot canvas').length >= 2, undefined, { timeout: 10_000 });
      for (const id of ['chart-knee-0', 'chart-throughput-0']) {
        expect(await page.locator(`#${id} .uplot`).count()).toBe(1);
        const size = await page.$eval(`#${id} canvas`, (c) => ({ w: c.getBoundingClientRect().width, h: c.getBoundingClientRect().height }));
        expect(size.w).toBeGreaterThan(300);
        expect(size.h).toBeGreaterThan(200);
      }
      const kneeLegend = (await page.locator('#chart-knee-0 .u-legend').textContent()) ?? '';
      for (const name of ['p50', 'p90', 'p95', 'p99', 'SLO p95 < 200ms', 'probe passed', 'probe failed']) expect(kneeLegend).toContain(name);
      // The markers are drawn: green (passed) and red (failed) pixels in each chart's canvas.
      for (const id of ['chart-knee-0', 'chart-throughput-0']) {
        const colours = await page.$eval(`#${id} canvas`, (c) => {
          const ctx = (c as HTMLCanvasElement).getContext('2d')!;
          const { data } = ctx.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height);
          let green = 0;
          let red = 0;
          for (let i = 0; i < data.length; i += 4) {
            const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
            if (Math.abs(r - 0x16) < 12 && Math.abs(g - 0xa3) < 12 && Math.abs(b - 0x4a) < 12) green++;
            if (Math.abs(r - 0xdc) < 12 && Math.abs(g - 0x26) < 12 && Math.abs(b - 0x26) < 12) red++;
          }
          return { green, red };
        });
        expect(colours.green, id).toBeGreaterThan(20);
        expect(colours.red, id).toBeGreaterThan(20);
      }
      // The table lists every probe with its verdict, readable without scripts.
      const rows = await page.$$eval('#probe-table-0 tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-verdict')));
      expect(rows).toEqual(doc.targets[0]!.probes.map((p) => p.verdict));
      expect(await page.locator('#verdict').textContent()).toContain(`sustains ${doc.targets[0]!.capacity!.toLocaleString('en-US')}/s within SLOs`);
      expect(await page.title()).toBe('Capacity · bench: knee <&> "demo"');
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await context.close();
    }
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });

  it('the chart data has one point per offered rate (the latest probe there), in ascending order', () => {
    const doc = buildDocument(simulatedRun(), SETTINGS, null);
    const series = kneeSeries(doc.targets[0]!);
    expect(series.rate).toEqual([...new Set(doc.targets[0]!.probes.map((p) => p.offeredRate))].sort((a, b) => a - b));
    const html = capacityHtml(doc, []);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
  });
});
