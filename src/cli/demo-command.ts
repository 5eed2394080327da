// `bench demo`: the built-in backend in both topologies, the demo scenario against each in A/B rounds,
// both summaries and the comparison. Every process it starts, it stops.
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { EXIT, UsageError } from '../errors.js';
import { startTopology, type Topology, type TopologyKind } from '../demo/index.js';
import { runAb } from './ab-command.js';
import { runScenario } from './run-command.js';
import { runCapacity, type CapacityFlags } from './capacity-command.js';
import { defaultOutDir } from './out-dir.js';
import type { Console } from './console.js';

export const DEMO_SCENARIO = fileURLToPath(new URL('../../scenarios/demo.yml', import.meta.url));

export interface DemoFlags {
  topology: 'monolith' | 'microservices' | 'both';
  serve?: boolean;
  rounds: string;
  out?: string;
  port: string;
  color: boolean;
}

export async function demoCommand(flags: DemoFlags, io: Console): Promise<number> {
  if (flags.serve) return serve(flags, io);
  const kinds: TopologyKind[] = flags.topology === 'both' ? ['monolith', 'microservices'] : [flags.topology];
  const topologies: Topology[] = [];
  try {
    for (const kind of kinds) topologies.push(await startTopology(kind));
    for (const t of topologies) io.err(`bench demo: ${t.kind} up at ${t.url} (${t.processes.length} process${t.processes.length === 1 ? '' : 'es'})`);
    const out = flags.out ?? defaultOutDir('demo', Date.now());
    if (topologies.length === 1) {
      const { exitCode } = await runScenario(DEMO_SCENARIO, { target: topologies[0]!.url, out, color: flags.color }, io, topologies[0]!.kind);
      if (exitCode === EXIT.interrupted) return exitCode;
    } else {
      const targets = topologies.map((t) => ({ name: t.kind, url: t.url }));
      const outcome = await runAb(DEMO_SCENARIO, targets, { rounds: flags.rounds, out, color: flags.color }, io, 'demo');
      if (outcome.interrupted) return EXIT.interrupted;
    }
    // The demo shows numbers; its SLO verdicts are in the reports, not in the exit code.
    return await demoCapacity(topologies, join(out, 'capacity'), io);
  } finally {
    await Promise.all(topologies.map((t) => t.stop()));
  }
}

/**
 * A quick capacity search of each topology, interleaved: short probes and a coarse bracket, bounded
 * in time, so the whole demo stays well under a minute. The output says it is a rough figure.
 */
export const DEMO_CAPACITY: Omit<CapacityFlags, 'target' | 'out'> = {
  from: '1000/s',
  max: '20000/s',
  step: '1s',
  warmUp: '0s', // the A/B rounds just warmed both topologies up
  coolDown: '200ms',
  precision: '35%',
  maxTime: '20s',
};

async function demoCapacity(topologies: Topology[], out: string, io: Console): Promise<number> {
  io.err(
    `\nbench demo: capacity — short 1 s probes from ${DEMO_CAPACITY.from}, a coarse ${DEMO_CAPACITY.precision} bracket, at most ${DEMO_CAPACITY.maxTime} in all: a rough figure from a machine that also runs the backend; \`bench capacity scenarios/demo.yml --target …\` searches properly`,
  );
  const target = topologies.length === 1 ? [topologies[0]!.url] : topologies.map((t) => `${t.kind}=${t.url}`);
  const { doc, exitCode } = await runCapacity(DEMO_SCENARIO, { ...DEMO_CAPACITY, target, out }, io, 'demo');
  if (topologies.length === 1) io.err(`bench demo: ${topologies[0]!.kind} ${doc.targets[0]!.message}`);
  return exitCode === EXIT.interrupted ? EXIT.interrupted : EXIT.ok;
}

/** Keep a topology up until Ctrl-C, for the user's own scenarios. */
async function serve(flags: DemoFlags, io: Console): Promise<number> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: "${flags.port}" is not a port number`);
  const kinds: TopologyKind[] = flags.topology === 'both' ? ['monolith', 'microservices'] : [flags.topology];
  // A taken port is the user's to free or change (exit 2), said before any service starts.
  if (port !== 0) for (const [i] of kinds.entries()) await ensurePortFree(port + i);
  const topologies: Topology[] = [];
  try {
    for (const [i, kind] of kinds.entries()) topologies.push(await startTopology(kind, { port: port === 0 ? 0 : port + i }));
    for (const t of topologies) io.err(`bench demo: ${t.kind} serving at ${t.url}`);
    io.err('bench demo: Ctrl-C to stop');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return EXIT.ok;
  } finally {
    await Promise.all(topologies.map((t) => t.stop()));
  }
}

function ensurePortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new UsageError(`--port ${port}: 127.0.0.1:${port} is already in use (another bench demo?); stop it or choose another --port`) : err),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
