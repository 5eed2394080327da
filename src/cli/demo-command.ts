// `bench demo`: the built-in backend in both topologies, the demo scenario against each in A/B rounds,
// both summaries and the comparison. Every process it starts, it stops.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { EXIT, UsageError } from '../errors.js';
import { startTopology, type Topology, type TopologyKind } from '../demo/index.js';
import { runAb } from './ab-command.js';
import { runScenario } from './run-command.js';
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
      return exitCode === EXIT.interrupted ? exitCode : EXIT.ok;
    }
    const targets = topologies.map((t) => ({ name: t.kind, url: t.url }));
    const outcome = await runAb(DEMO_SCENARIO, targets, { rounds: flags.rounds, out, color: flags.color }, io, 'demo');
    // The demo shows numbers; its SLO verdicts are in the reports, not in the exit code.
    return outcome.interrupted ? EXIT.interrupted : EXIT.ok;
  } finally {
    await Promise.all(topologies.map((t) => t.stop()));
  }
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
