// A stream endpoint that hangs or fails never slows the load: the same schedule, run with and without
// the stream, sends the same requests with the same (small) schedule lag; the lost batches are
// reported once, at the end, without the endpoint's URL or credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/api/run.js';
import { startServer, type TestServer } from './helpers/servers.js';

let target: TestServer;
let hanging: TestServer;
let failing: TestServer;

beforeAll(async () => {
  target = await startServer((_req, res) => res.end('ok'));
  hanging = await startServer(() => {}); // never answers
  failing = await startServer((req, res) => {
    req.resume();
    res.statusCode = 500;
    res.end('boom');
  });
});

afterAll(async () => {
  await Promise.all([target?.close(), hanging?.close(), failing?.close()]);
});

const scenario = (name: string) => ({ name, target: target.url, load: [{ duration: '2s', rate: 150 }], flows: [{ name: 'f', steps: [{ get: '/x' }] }] });

async function measured(stream: string[], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const before = target.requests();
  const result = await run(scenario('loss'), { stream, streamSettings: { interval: '1s' }, log: (l) => lines.push(l), env: { ...process.env, ...env } });
  return { result, lines, served: target.requests() - before };
}

describe('a failing stream endpoint does not touch the load', () => {
  it('hanging and 500 endpoints: same requests and schedule lag as without a stream; lost batches reported once', async () => {
    const plain = await measured([]);
    const hang = await measured([`prometheus=${hanging.url}/api/v1/write`], { BENCH_STREAM_BEARER_TOKEN: 'tok-secret-123' });
    const fail = await measured([`prometheus=${failing.url}/api/v1/write`]);

    for (const m of [plain, hang, fail]) {
      // The schedule's exact arrival count, sent and answered, none dropped.
      expect(m.result.totals.requests).toBe(300);
      expect(m.served).toBe(300);
      expect(m.result.totals.dropped).toBe(0);
      expect(m.result.totals.errors).toBe(0);
      // A send on the hot path would hold the schedule for its 5 s timeout: lag of seconds, not the
      // tens of ms a busy shared machine shows anyway.
      expect(m.result.scheduleLagMs.max).toBeLessThan(1000);
    }
    expect(plain.lines.filter((l) => l.includes('not delivered'))).toEqual([]);

    const hangLoss = hang.lines.filter((l) => l.includes('not delivered'));
    expect(hangLoss).toHaveLength(1);
    // Every batch was lost (live ones and the final flush); how many live ones fit in 2 s is the timer's business.
    const [, hangLost, hangBatches] = /^bench: prometheus remote write: (\d+) of (\d+) batches not delivered \(first: no answer/.exec(hangLoss[0]!) ?? [];
    expect(Number(hangBatches)).toBeGreaterThanOrEqual(2);
    expect(hangLost).toBe(hangBatches);
    expect(hang.lines.join('\n')).not.toContain('tok-secret-123');
    expect(hang.lines.join('\n')).not.toContain(hanging.url);

    const failLoss = fail.lines.filter((l) => l.includes('not delivered'));
    expect(failLoss).toHaveLength(1);
    const [, failLost, failBatches] = /: (\d+) of (\d+) batches not delivered \(first: HTTP 500\)/.exec(failLoss[0]!) ?? [];
    expect(Number(failBatches)).toBeGreaterThanOrEqual(2);
    expect(failLost).toBe(failBatches);
    // The receiver saw each lost batch once: no retries piling up.
    expect(failing.requests()).toBe(Number(failBatches));
  }, 60_000);
});
