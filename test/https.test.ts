// https targets go through undici: a certificate it cannot verify is a clear `connect` error, and
// http.insecure accepts a self-signed test server.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { open, simplePlan } from './helpers/plan.js';

const tls = (name: string): Buffer => readFileSync(new URL(`./fixtures/tls/${name}`, import.meta.url));

let server: https.Server;
let url = '';

beforeAll(async () => {
  server = https.createServer({ key: tls('localhost.key'), cert: tls('localhost.crt') }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('https targets', () => {
  it('refuses a self-signed certificate by default, saying how to accept it', async () => {
    const engine = new Engine(simplePlan(url, [open(20, 250)]));
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    expect(s.totals.errorKinds).toEqual({ connect: 5 });
    expect(run.errorDetails.connect).toMatch(/TLS certificate not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT\).*http\.insecure: true/);
  });

  it('accepts it with http.insecure', async () => {
    const plan = simplePlan(url, [open(20, 250)]);
    plan.http.insecure = true;
    const engine = new Engine(plan);
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    expect(s.totals).toMatchObject({ requests: 5, errors: 0, statusCodes: { '200': 5 } });
  });
});
