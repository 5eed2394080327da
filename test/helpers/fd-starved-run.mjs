// Runs the engine (from dist/) with the process's file descriptors used up but `free` of them, so the
// generator hits a real EMFILE. argv: target, free, connections, rate, durationMs, transport. Prints one JSON line.
import { closeSync, openSync } from 'node:fs';
import { Engine } from '../../dist/engine/engine.js';
import { RunError } from '../../dist/errors.js';
import { defaultSlos } from '../../dist/slo/parse.js';

const [target, free, connections, rate, durationMs, transport] = process.argv.slice(2);
const plan = {
  name: 'fd-starved',
  file: '',
  target,
  http: { timeoutMs: 5000, maxInFlight: 10_000, graphqlPath: '/graphql', connections: Number(connections) },
  phases: [{ kind: 'open', rate: Number(rate), rampTo: Number(rate), durationMs: Number(durationMs) }],
  flows: [{ name: 'f', weight: 1, steps: [{ kind: 'request', endpoint: 0, readBody: false, captures: false, render: () => ({ method: 'GET', path: '/', headers: {} }), verify: (res) => (res.status < 400 ? null : { kind: 'status', check: 'status 2xx/3xx' }) }] }],
  endpoints: ['GET /'],
  setup: [],
  slo: defaultSlos(),
  sloDefaults: true,
  iterationVars: (_seq, shared) => Object.create(shared),
  secrets: [],
};

// Everything is loaded: now use up the descriptors (the limit is set low by whoever started us), then give back `free`.
const held = [];
try {
  for (;;) held.push(openSync('/dev/null', 'r'));
} catch (err) {
  if (err.code !== 'EMFILE') throw err;
}
for (let i = 0; i < Number(free); i++) closeSync(held.pop());

const engine = new Engine(plan, { transport: transport || undefined });
try {
  const run = await engine.run();
  const totals = engine.aggregator.summarize(run.durationMs).totals;
  console.log(JSON.stringify({ run, totals }));
} catch (err) {
  console.log(JSON.stringify({ error: err.message, runError: err instanceof RunError }));
}
for (const fd of held) closeSync(fd);
