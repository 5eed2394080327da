// `bench k8s`: print the ConfigMap + Indexed Job for N segments of a scenario (after validating it).
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { k8sManifests } from '../k8s/manifest.js';
import { dataFilePaths } from '../k8s/data-files.js';
import { loadScenario } from '../scenario/load.js';
import { parseDuration } from '../scenario/units.js';
import type { Console } from './console.js';

export interface K8sFlags {
  parallelism: string;
  image: string;
  namespace?: string;
  /** a fixed start this many seconds ahead instead of the barrier */
  startDelay?: string;
  cpu?: string;
  memory?: string;
  coordinatorPort?: string;
  barrierTimeout?: string;
  /** a Secret whose keys become the pods' environment (the scenario's ${VAR}s) */
  secret?: string;
}

export async function k8sCommand(file: string, flags: K8sFlags, io: Console): Promise<number> {
  const path = resolve(file);
  // Validate here, where mistakes are cheap, not in N pods. ${VAR}s are resolved in the pods.
  const text = readFileSync(path, 'utf8');
  const plan = await loadScenario(path, { env: { ...placeholderEnv(text), ...io.env } });
  const needed = requiredVariables(text);
  if (needed.length > 0 && flags.secret === undefined) {
    io.err(`bench: warning: the pods need ${needed.join(', ')}; pass --secret NAME (a Secret with those keys) or every pod exits 2`);
  }
  if (/^https?:\/\/(localhost|127\.|\[::1\])/.test(plan.target)) io.err(`bench: warning: target ${plan.target} is loopback: inside a pod that is the pod itself`);
  const parallelism = Number(flags.parallelism);
  if (!Number.isInteger(parallelism) || parallelism < 1) throw new UsageError(`--parallelism: "${flags.parallelism}" is not a whole number ≥ 1`);
  io.out(
    k8sManifests({
      scenarioFile: basename(path),
      scenarioText: text,
      dataFiles: dataFilePaths(text).map((name) => ({ name, content: readFileSync(resolve(dirname(path), name), 'utf8') })),
      parallelism,
      image: flags.image,
      namespace: flags.namespace,
      ...(flags.startDelay === undefined ? {} : { startDelaySeconds: Number(flags.startDelay) }),
      planSeconds: plan.phases.reduce((sum, p) => sum + p.durationMs, 0) / 1000,
      requestTimeoutSeconds: plan.http.timeoutMs / 1000,
      ...(flags.cpu ? { cpu: flags.cpu } : {}),
      ...(flags.memory ? { memory: flags.memory } : {}),
      ...(flags.coordinatorPort ? { coordinatorPort: Number(flags.coordinatorPort) } : {}),
      ...(flags.barrierTimeout ? { barrierTimeoutSeconds: seconds(flags.barrierTimeout) } : {}),
      ...(flags.secret ? { secretName: flags.secret } : {}),
    }),
  );
  return EXIT.ok;
}

function seconds(text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new UsageError(`--barrier-timeout: "${text}" is not a duration (e.g. 120s or 5m)`);
  return ms / 1000;
}

/** ${VAR} and ${VAR:?msg} without a default: the pods cannot run without them. */
function requiredVariables(text: string): string[] {
  const names = [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?\?[^}]*)?\}/g)].map((m) => m[1]!);
  return [...new Set(names)];
}

/** ${VAR}s the pods will get from a Secret need not be set on the machine that prints the manifest. */
function placeholderEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) env[m[1]!] = 'placeholder';
  return env;
}
