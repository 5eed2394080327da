// `bench k8s`: a ConfigMap (the scenario and its data files) and an Indexed Job whose pod i runs segment
// i/N of the load, all starting at one shared instant. Pure apart from reading the clock for the default
// start time (injectable as `now`). The output is multi-document YAML for `kubectl apply -f`.
//
// Build the image from the repository's Dockerfile (`docker build -t slo-bench:latest .`) and push it where
// the cluster pulls from (or `kind load docker-image slo-bench:latest`); the default pull policy IfNotPresent
// lets a locally loaded image work.
import { stringify } from 'yaml';
import { posix } from 'node:path';
import { UsageError } from '../errors.js';
import { checkJobName, checkRelativePath, configMapKey, defaultJobName } from './names.js';
import { RUNNER_SCRIPT } from './runner.js';
// Types only (erased at build): the compiler checks every field name against the Kubernetes API.
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { ConfigMap, Container, PodSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

export interface K8sOptions {
  /** the scenario's file name; the pods read it as /scenario/<base name> */
  scenarioFile: string;
  /** the scenario as written (not env-substituted: ${VAR} is resolved in the pod, from `secretName`) */
  scenarioText: string;
  /** files the scenario reads (`data:` csv), named by their path relative to the scenario's folder */
  dataFiles: Array<{ name: string; content: string }>;
  parallelism: number;
  image: string;
  namespace?: string;
  /** Job name (default: bench-<scenario file stem>); the ConfigMap is <name>-scenario */
  name?: string;
  /** seconds from now to the shared start, time for every pod to be scheduled and pull the image (default 60) */
  startDelaySeconds?: number;
  /** seconds each pod keeps its results after its run, for `kubectl cp` (default 600) */
  keepResultsSeconds?: number;
  /** a Secret whose keys become environment variables: the scenario's ${VAR} values */
  secretName?: string;
  /** the clock, for the start time (default: the current time) */
  now?: Date;
}

/** The image the repository's Dockerfile builds, named after the npm package. */
export { DEFAULT_IMAGE } from '../version.js';
const SCENARIO_DIR = '/scenario';
const RESULTS_DIR = '/results';
// Kubernetes' limit for a ConfigMap is 1 MiB; stay under it with room for metadata.
const CONFIGMAP_MAX_BYTES = 1_000_000;
const MAX_PARALLELISM = 10_000;

/** The ConfigMap and the Indexed Job, as multi-document YAML with a usage header. */
export function k8sManifests(options: K8sOptions): string {
  checkOptions(options);
  const name = options.name === undefined ? defaultJobName(options.scenarioFile) : checkJobName(options.name);
  const startAt = startTime(options);
  const files = scenarioFiles(options);
  const configMap = configMapDoc(name, options, files);
  const job = jobDoc(name, options, files, startAt);
  return [usageHeader(name, options, startAt), toYaml(configMap), '---\n', toYaml(job)].join('');
}

interface MountedFile {
  key: string;
  path: string;
  content: string;
}

function checkOptions(options: K8sOptions): void {
  const n = options.parallelism;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_PARALLELISM) {
    throw new UsageError(`--parallelism must be a whole number from 1 to ${MAX_PARALLELISM}, got ${String(n)}`);
  }
  if (!options.image.trim() || /\s/.test(options.image)) throw new UsageError(`invalid image "${options.image}"`);
  const delay = options.startDelaySeconds ?? 60;
  if (!Number.isFinite(delay) || delay < 0) throw new UsageError(`the start delay must be 0 or more seconds, got ${String(delay)}`);
}

function startTime(options: K8sOptions): string {
  const now = options.now ?? new Date();
  return new Date(now.getTime() + (options.startDelaySeconds ?? 60) * 1000).toISOString();
}

/** The scenario at /scenario/<base name>, data files at their relative paths beside it. */
function scenarioFiles(options: K8sOptions): MountedFile[] {
  const taken = new Set<string>();
  const add = (path: string, content: string): MountedFile => {
    const key = configMapKey(path, taken);
    taken.add(key);
    return { key, path, content };
  };
  const scenarioPath = posix.basename(options.scenarioFile.replaceAll('\\', '/'));
  const files = [add(scenarioPath, options.scenarioText)];
  for (const data of options.dataFiles) files.push(add(checkRelativePath(data.name), data.content));
  const paths = new Set(files.map((f) => f.path));
  if (paths.size < files.length) throw new UsageError('two files of the scenario map to the same path in /scenario');
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content) + f.key.length, 0);
  if (bytes > CONFIGMAP_MAX_BYTES) {
    throw new UsageError(`the scenario and its data files (${bytes} bytes) exceed a ConfigMap's 1 MiB: bake the data into the image instead`);
  }
  return files;
}

/** Labels tie the ConfigMap, the Job and its pods to one `bench k8s` instance (`kubectl delete -l …`). */
function labels(instance: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'bench', 'app.kubernetes.io/instance': instance };
}

function metadata(name: string, instance: string, namespace: string | undefined): ObjectMeta {
  return { name, ...(namespace ? { namespace } : {}), labels: labels(instance) };
}

function configMapDoc(name: string, options: K8sOptions, files: MountedFile[]): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(`${name}-scenario`, name, options.namespace),
    data: Object.fromEntries(files.map((f) => [f.key, f.content])),
  };
}

function jobDoc(name: string, options: K8sOptions, files: MountedFile[], startAt: string): Job {
  const n = options.parallelism;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(name, name, options.namespace),
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: n,
      // A segment is a slice of one timed run: retrying it later would not add to the same run.
      backoffLimitPerIndex: 0,
      // Never stop the other segments for one failure: their results wait in their pods to be copied.
      maxFailedIndexes: n,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: labels(name) },
        spec: podSpec(name, options, files, startAt),
      },
    },
  };
}

function podSpec(name: string, options: K8sOptions, files: MountedFile[], startAt: string): PodSpec {
  return {
    restartPolicy: 'Never',
    // Spread the generators over nodes where possible: segments on one node share its CPU and NIC.
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/instance': name } },
      },
    ],
    containers: [container(options, files, startAt)],
    volumes: [
      { name: 'scenario', configMap: { name: `${name}-scenario`, items: files.map((f) => ({ key: f.key, path: f.path })) } },
      { name: 'results', emptyDir: {} },
    ],
  };
}

function container(options: K8sOptions, files: MountedFile[], startAt: string): Container {
  const index = '$(JOB_COMPLETION_INDEX)';
  return {
    name: 'bench',
    image: options.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c', RUNNER_SCRIPT, 'bench'],
    args: [
      'run',
      `${SCENARIO_DIR}/${files[0]!.path}`,
      '--segment',
      `${index}/${options.parallelism}`,
      '--start-at',
      startAt,
      '--out',
      `${RESULTS_DIR}/segment-${index}`,
      '--quiet',
    ],
    env: [
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
      },
      { name: 'RESULTS_DIR', value: RESULTS_DIR },
      { name: 'KEEP_RESULTS_SECONDS', value: String(options.keepResultsSeconds ?? 600) },
      { name: 'NO_COLOR', value: '1' },
    ],
    ...(options.secretName ? { envFrom: [{ secretRef: { name: options.secretName } }] } : {}),
    volumeMounts: [
      { name: 'scenario', mountPath: SCENARIO_DIR, readOnly: true },
      { name: 'results', mountPath: RESULTS_DIR },
    ],
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
  };
}

function usageHeader(name: string, options: K8sOptions, startAt: string): string {
  const ns = options.namespace ? ` -n ${options.namespace}` : '';
  const last = options.parallelism - 1;
  return [
    `# bench: ${options.scenarioFile} in ${options.parallelism} segments (Indexed Job ${name}), all starting at ${startAt}.`,
    `#   kubectl apply${ns} -f <this file>      (apply it well before the start time; re-run: kubectl delete${ns} job ${name})`,
    `# Each pod keeps /results for ${options.keepResultsSeconds ?? 600} s after its run. Copy them, then merge:`,
    `#   for i in $(seq 0 ${last}); do`,
    `#     pod=$(kubectl get pods${ns} -l batch.kubernetes.io/job-name=${name},batch.kubernetes.io/job-completion-index=$i -o name | head -n 1)`,
    `#     kubectl cp${ns} "\${pod#pod/}:/results/segment-$i" "results/segment-$i"`,
    '#   done',
    '#   bench merge results/segment-*/result.json --out results/merged',
    '',
  ].join('\n');
}

/** Literal blocks and no line folding: the script and the scenario read in the manifest exactly as written. */
function toYaml(doc: Job | ConfigMap): string {
  return stringify(doc, { blockQuote: 'literal', lineWidth: 0 });
}
