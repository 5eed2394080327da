// `bench k8s`: a ConfigMap (the scenario and its data files), a headless Service (the start barrier's
// address) and an Indexed Job whose pod i runs segment i/N of the load. The pods meet at pod 0 before any
// load (src/distributed/rendezvous.ts) and log their results (src/distributed/segment-log.ts); the Job is
// hardened for namespaces that enforce the restricted Pod Security Standard. Pure (the clock only for a
// fixed --start-delay, injectable as `now`). The output is multi-document YAML for `kubectl apply -f`.
//
// Build the image from the repository's Dockerfile (`docker build -t slo-bench:latest .`) and push it where
// the cluster pulls from (or `kind load docker-image slo-bench:latest`); the default pull policy IfNotPresent
// lets a locally loaded image work.
import { stringify } from 'yaml';
import { posix } from 'node:path';
import { UsageError } from '../errors.js';
import { checkJobName, checkRelativePath, configMapKey, defaultJobName } from './names.js';
// Types only (erased at build): the compiler checks every field name against the Kubernetes API.
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { ConfigMap, Container, PodSpec, Service } from 'kubernetes-types/core/v1.js';
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
  /**
   * a fixed start this many seconds from now (--start-delay), instead of the barrier at pod 0: every pod must
   * be scheduled and have pulled its image by then
   */
  startDelaySeconds?: number;
  /** the plan's load window in seconds (activeDeadlineSeconds is derived from it) */
  planSeconds: number;
  /** the scenario's request timeout in seconds: the longest drain after the load */
  requestTimeoutSeconds: number;
  /** CPU for each pod, requests = limits (default 1) */
  cpu?: string;
  /** memory for each pod, requests = limits (default 1Gi) */
  memory?: string;
  /** the start barrier's port on pod 0 (default 7070) */
  coordinatorPort?: number;
  /** how long pod 0 waits for every pod before failing the run (default 300) */
  barrierTimeoutSeconds?: number;
  /** a Secret whose keys become environment variables: the scenario's ${VAR} values */
  secretName?: string;
  /** the clock, for the start time (default: the current time) */
  now?: Date;
}

/** The image the repository's Dockerfile builds, named after the npm package. */
export { DEFAULT_IMAGE } from '../version.js';
const SCENARIO_DIR = '/scenario';
const TMP_DIR = '/tmp';
const DEFAULT_CPU = '1';
const DEFAULT_MEMORY = '1Gi';
const DEFAULT_COORDINATOR_PORT = 7070;
const DEFAULT_BARRIER_SECONDS = 300;
// Kubernetes' limit for a ConfigMap is 1 MiB; stay under it with room for metadata.
const CONFIGMAP_MAX_BYTES = 1_000_000;
const MAX_PARALLELISM = 10_000;

/** The ConfigMap and the Indexed Job, as multi-document YAML with a usage header. */
export function k8sManifests(options: K8sOptions): string {
  checkOptions(options);
  const name = options.name === undefined ? defaultJobName(options.scenarioFile) : checkJobName(options.name);
  const startAt = options.startDelaySeconds === undefined ? null : startTime(options);
  const files = scenarioFiles(options);
  const docs: Array<Job | ConfigMap | Service> = [configMapDoc(name, options, files), ...(startAt === null ? [serviceDoc(name, options)] : []), jobDoc(name, options, files, startAt)];
  return usageHeader(name, options, startAt) + docs.map(toYaml).join('---\n');
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
  const delay = options.startDelaySeconds ?? 0;
  if (!Number.isFinite(delay) || delay < 0) throw new UsageError(`the start delay must be 0 or more seconds, got ${String(delay)}`);
  const port = options.coordinatorPort ?? DEFAULT_COORDINATOR_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--coordinator-port must be a port number (1–65535), got ${String(port)}`);
  const barrier = options.barrierTimeoutSeconds ?? DEFAULT_BARRIER_SECONDS;
  if (!Number.isFinite(barrier) || barrier <= 0) throw new UsageError(`--barrier-timeout must be more than 0 seconds, got ${String(barrier)}`);
  for (const [flag, value, pattern] of [
    ['--cpu', options.cpu, /^(\d+(\.\d+)?|\d+m)$/],
    ['--memory', options.memory, /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/],
  ] as const) {
    if (value !== undefined && !pattern.test(value)) throw new UsageError(`${flag}: "${value}" is not a Kubernetes quantity (e.g. ${flag === '--cpu' ? '2 or 1500m' : '1Gi or 512Mi'})`);
  }
}

function startTime(options: K8sOptions): string {
  const now = options.now ?? new Date();
  return new Date(now.getTime() + (options.startDelaySeconds ?? 0) * 1000).toISOString();
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

function serviceDoc(name: string, options: K8sOptions): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(name, name, options.namespace),
    spec: {
      // Headless: no virtual IP, one DNS record per pod (<job>-<index>.<service>), the start barrier's way in.
      clusterIP: 'None',
      // The barrier is reached before any pod is "ready": publish the pods' addresses from the start.
      publishNotReadyAddresses: true,
      selector: labels(name),
      ports: [{ name: 'barrier', port: coordinatorPort(options), targetPort: 'barrier', protocol: 'TCP' }],
    },
  };
}

function jobDoc(name: string, options: K8sOptions, files: MountedFile[], startAt: string | null): Job {
  const n = options.parallelism;
  const deadline = deadlineSeconds(options);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(name, name, options.namespace),
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: n,
      // A segment is a slice of one timed run: retried later it would send its load out of step. Both limits,
      // so clusters without backoffLimitPerIndex (≤ 1.28, or the gate off) do not retry either.
      backoffLimit: 0,
      backoffLimitPerIndex: 0,
      // Everything is over by then: the barrier's wait, the load, the drain. Pods still pending (an image that
      // cannot be pulled) or stuck are ended, and with them the Job.
      activeDeadlineSeconds: deadline,
      podFailurePolicy: {
        rules: [
          // exit 2 (invalid scenario or usage) or 3 (the run could not be carried out, e.g. a segment missed the
          // barrier): the run cannot be whole, end it at once; the other pods get SIGTERM and log what they have.
          { action: 'FailJob', onExitCodes: { containerName: 'bench', operator: 'In', values: [2, 3] } },
          // evicted or preempted: never restarted (it would send its load late); its log keeps what it flushed.
          { action: 'FailIndex', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        ],
      },
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: labels(name) },
        spec: podSpec(name, options, files, startAt, deadline),
      },
    },
  };
}

function podSpec(name: string, options: K8sOptions, files: MountedFile[], startAt: string | null, deadline: number): PodSpec {
  return {
    restartPolicy: 'Never',
    // Pod i is <job>-<i>.<job>: the headless Service of the same name gives it a DNS record.
    subdomain: name,
    // Counted from the kubelet's acceptance, image pull included: a pod that cannot start fails in time.
    activeDeadlineSeconds: deadline,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    // The restricted Pod Security Standard: non-root (numeric: runAsNonRoot can only verify a number), the
    // runtime's default seccomp profile.
    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    // Spread the generators over nodes where possible: segments on one node share its CPU and NIC.
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/instance': name } },
      },
    ],
    containers: [container(name, options, files, startAt)],
    volumes: [
      { name: 'scenario', configMap: { name: `${name}-scenario`, items: files.map((f) => ({ key: f.key, path: f.path })) } },
      // The root filesystem is read-only: reports and temporary files go here.
      { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
    ],
  };
}

function container(name: string, options: K8sOptions, files: MountedFile[], startAt: string | null): Container {
  const index = '$(JOB_COMPLETION_INDEX)';
  const port = coordinatorPort(options);
  const start = startAt === null ? ['--coordinator', `${name}-0.${name}:${port}`, '--barrier-timeout', `${barrierSeconds(options)}s`] : ['--start-at', startAt];
  const cpu = options.cpu ?? DEFAULT_CPU;
  const memory = options.memory ?? DEFAULT_MEMORY;
  return {
    name: 'bench',
    image: options.image,
    imagePullPolicy: 'IfNotPresent',
    // bench itself is the process: it ends when the load does, so the Job completes then. Its result is in
    // its log (--log-result, framed, flushed once a second): `bench collect job/<name>` reads it back.
    command: ['node', '/app/bin/bench.js'],
    args: ['run', `${SCENARIO_DIR}/${files[0]!.path}`, '--segment', `${index}/${options.parallelism}`, ...start, '--log-result', '--out', `${TMP_DIR}/segment-${index}`, '--quiet'],
    env: [
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
      },
      // The Job's uid: every pod of this Job shares it, a re-applied Job gets a new one.
      { name: 'BENCH_RUN_ID', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/controller-uid']" } } },
      { name: 'NO_COLOR', value: '1' },
      { name: 'TMPDIR', value: TMP_DIR },
    ],
    ...(options.secretName ? { envFrom: [{ secretRef: { name: options.secretName } }] } : {}),
    ...(startAt === null ? { ports: [{ name: 'barrier', containerPort: port, protocol: 'TCP' }] } : {}),
    // requests = limits: a Guaranteed pod with whole CPUs of its own (with the static CPU manager, pinned), so
    // two generators never share a core and charge their lag to the target.
    resources: { requests: { cpu, memory }, limits: { cpu, memory } },
    volumeMounts: [
      { name: 'scenario', mountPath: SCENARIO_DIR, readOnly: true },
      { name: 'tmp', mountPath: TMP_DIR },
    ],
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 1000,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}

const coordinatorPort = (options: K8sOptions): number => options.coordinatorPort ?? DEFAULT_COORDINATOR_PORT;
const barrierSeconds = (options: K8sOptions): number => options.barrierTimeoutSeconds ?? DEFAULT_BARRIER_SECONDS;

/** The barrier's wait (or the fixed start's delay), the plan, the drain (request timeout), and a minute to spare. */
function deadlineSeconds(options: K8sOptions): number {
  const wait = options.startDelaySeconds ?? barrierSeconds(options);
  return Math.ceil(wait + options.planSeconds + options.requestTimeoutSeconds + 60);
}

function usageHeader(name: string, options: K8sOptions, startAt: string | null): string {
  const ns = options.namespace ? ` -n ${options.namespace}` : '';
  const start = startAt === null ? `meeting at pod 0 (${name}-0.${name}:${coordinatorPort(options)}) before any load` : `all starting at ${startAt}`;
  return [
    `# bench: ${options.scenarioFile} in ${options.parallelism} segments (Indexed Job ${name}), ${start}.`,
    `#   kubectl apply${ns} -f <this file>      (re-run: kubectl delete${ns} job ${name}, then apply again)`,
    `#   kubectl wait${ns} --for=condition=complete job/${name} --timeout=${deadlineSeconds(options)}s`,
    `# Each pod logs its result (framed); gather and merge them:`,
    `#   bench collect job/${name}${ns} --out results/merged`,
    '',
  ].join('\n');
}

/** Literal blocks and no line folding: the script and the scenario read in the manifest exactly as written. */
function toYaml(doc: Job | ConfigMap | Service): string {
  return stringify(doc, { blockQuote: 'literal', lineWidth: 0 });
}
