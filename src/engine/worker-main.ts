// A worker thread: rebuilds its segment of the plan and its engine, reports ready, waits for the start
// (chosen by the main thread once every worker is ready, with the captures of the setup steps the
// main thread ran once), runs, posts encoded intervals once a second.
import { parentPort, workerData } from 'node:worker_threads';
import { encodeInterval } from '../metrics/aggregator.js';
import { preparePlan } from '../scenario/prepare.js';
import { Engine } from './engine.js';
import { RunError } from '../errors.js';
import { warmUpMetrics } from './warm-up.js';
import { keepYoungGenerationSmall } from './young-generation.js';
import type { ReadyMessage, StartMessage } from './barrier.js';
import type { WorkerJob } from './execute.js';

const job = workerData as WorkerJob;
const port = parentPort!;
// After this thread's isolate was configured (which reset V8's growth factor for the whole process).
if (job.smallYoung) keepYoungGenerationSmall();

type ToWorker = StartMessage | { type: 'stop'; reason?: 'interrupted' | 'slo-abort' };

async function main(): Promise<void> {
  const plan = await preparePlan(job.file, job.env, job.overrides, job.segment);
  const engine = new Engine(plan, {
    onInterval: (interval) => port.postMessage({ type: 'interval', interval: encodeInterval(interval, engine.aggregator.pool) }),
    onSecond: () => {
      port.postMessage({ type: 'progress', inFlight: engine.progress().inFlight });
      return null;
    },
  });
  const start = new Promise<StartMessage>((resolve) => {
    port.on('message', (msg: ToWorker) => {
      if (msg.type === 'stop') engine.stop(msg.reason ?? 'interrupted');
      else if (msg.type === 'start') resolve(msg);
    });
  });
  warmUpMetrics(plan.endpoints, false);
  // Loaded, nothing sent: the main thread chooses the start once every worker said so.
  port.postMessage({ type: 'ready' } satisfies ReadyMessage);
  const { startAt, shared } = await start;
  engine.useShared(shared);
  const result = await engine.run(startAt);
  port.postMessage({ type: 'done', result });
  port.close();
}

main().catch((err: unknown) => port.postMessage({ type: 'error', message: (err as Error).message ?? String(err), runError: err instanceof RunError }));
