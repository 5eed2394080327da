// A worker thread: rebuilds its segment of the plan, runs it, posts encoded intervals once a second.
import { parentPort, workerData } from 'node:worker_threads';
import { encodeInterval } from '../metrics/aggregator.js';
import { preparePlan } from '../scenario/prepare.js';
import { Engine } from './engine.js';
import { RunError } from '../errors.js';
import type { WorkerJob } from './execute.js';

const job = workerData as WorkerJob;
const port = parentPort!;

async function main(): Promise<void> {
  const plan = await preparePlan(job.file, job.env, job.overrides, job.segment);
  const engine = new Engine(plan, {
    startAt: job.startAt,
    onInterval: (interval) => port.postMessage({ type: 'interval', interval: encodeInterval(interval) }),
    onSecond: () => {
      port.postMessage({ type: 'progress', inFlight: engine.progress().inFlight });
      return null;
    },
  });
  port.on('message', (msg: { type: string; reason?: 'interrupted' | 'slo-abort' }) => {
    if (msg.type === 'stop') engine.stop(msg.reason ?? 'interrupted');
  });
  await engine.setup();
  const result = await engine.run();
  port.postMessage({ type: 'done', result });
  port.close();
}

main().catch((err: unknown) => port.postMessage({ type: 'error', message: (err as Error).message ?? String(err), runError: err instanceof RunError }));
