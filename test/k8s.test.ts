// kubernetes-types has no "exports" map: under NodeNext its subpaths need the .js suffix (types only, erased at run time).
import { describe, it, expect, afterAll } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { ConfigMap, Container, PodSpec, Service } from 'kubernetes-types/core/v1.js';
import { DEFAULT_IMAGE, k8sManifests, type K8sOptions } from '../src/k8s/manifest.js';
import { UsageError } from '../src/errors.js';
import { dataFilePaths } from '../src/k8s/data-files.js';

const scenarioText = 'name: shop\ntarget: http://shop:3000\nhttp:\n  headers:\n    authorization: Bearer ${API_TOKEN}\ndata:\n  users: { csv: data/users.csv }\n';

const options = (over: Partial<K8sOptions> = {}): K8sOptions => ({
  scenarioFile: 'scenarios/Shop Checkout.yml',
  scenarioText,
  dataFiles: [{ name: 'data/users.csv', content: 'user,password\nann,x1\nbob,x2\n' }],
  parallelism: 4,
  image: DEFAULT_IMAGE,
  planSeconds: 60,
  requestTimeoutSeconds: 10,
  now: new Date('2025-01-01T12:00:00.000Z'),
  ...over,
});

function allDocuments(text: string): Array<Record<string, unknown>> {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error('expected several documents');
  for (const doc of docs) expect(doc.errors).toEqual([]);
  return docs.map((d) => d.toJS() as Record<string, unknown>);
}

function documents(text: string): { configMap: ConfigMap; service: Service | undefined; job: Job; container: Container } {
  const docs = allDocuments(text);
  const configMap = docs.find((d) => d.kind === 'ConfigMap') as ConfigMap;
  const service = docs.find((d) => d.kind === 'Service') as Service | undefined;
  const job = docs.find((d) => d.kind === 'Job') as Job;
  const container = job.spec?.template.spec?.containers[0];
  if (!container) throw new Error('no container');
  return { configMap, service, job, container };
}

describe('k8sManifests', () => {
  const text = k8sManifests(options({ namespace: 'load', secretName: 'shop-env' }));
  const { configMap, service, job, container } = documents(text);

  it('is an Indexed Job with one completion per segment, none retried, ended by a deadline', () => {
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.kind).toBe('Job');
    expect(job.metadata).toMatchObject({ name: 'bench-shop-checkout', namespace: 'load' });
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimit: 0, backoffLimitPerIndex: 0 });
    // the barrier's 300 s + the 60 s plan + the 10 s request timeout + 60 s to spare
    expect(job.spec?.activeDeadlineSeconds).toBe(430);
    expect(job.spec?.template.spec?.activeDeadlineSeconds).toBe(430);
    expect(job.spec?.template.spec?.restartPolicy).toBe('Never');
    expect(job.spec?.podFailurePolicy?.rules).toEqual([
      { action: 'FailJob', onExitCodes: { containerName: 'bench', operator: 'In', values: [2, 3] } },
      { action: 'FailIndex', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    ]);
  });

  it('runs segment $(JOB_COMPLETION_INDEX)/N meeting at pod 0 through the headless Service, its result in its log', () => {
    expect(container.image).toBe('slo-bench:latest');
    expect(container.command).toEqual(['node', '/app/bin/bench.js']);
    expect(container.args).toEqual([
      'run',
      '/scenario/Shop Checkout.yml',
      '--segment',
      '$(JOB_COMPLETION_INDEX)/4',
      '--coordinator',
      'bench-shop-checkout-0.bench-shop-checkout:7070',
      '--barrier-timeout',
      '300s',
      '--log-result',
      '--out',
      '/tmp/segment-$(JOB_COMPLETION_INDEX)',
      '--quiet',
    ]);
    const index = container.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX');
    expect(index?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    expect(container.env?.find((e) => e.name === 'BENCH_RUN_ID')?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.labels['batch.kubernetes.io/controller-uid']");
    expect(container.envFrom).toEqual([{ secretRef: { name: 'shop-env' } }]);
    expect(container.ports).toEqual([{ name: 'barrier', containerPort: 7070, protocol: 'TCP' }]);
    expect(job.spec?.template.spec?.subdomain).toBe('bench-shop-checkout');
    expect(service?.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: job.spec?.template.metadata?.labels });
    expect(service?.metadata?.name).toBe('bench-shop-checkout');
    expect(service?.spec?.ports).toEqual([{ name: 'barrier', port: 7070, targetPort: 'barrier', protocol: 'TCP' }]);
  });

  it('asks for whole CPUs (requests = limits) and takes --cpu/--memory', () => {
    expect(container.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
    const sized = documents(k8sManifests(options({ cpu: '2', memory: '512Mi' }))).container;
    expect(sized.resources).toEqual({ requests: { cpu: '2', memory: '512Mi' }, limits: { cpu: '2', memory: '512Mi' } });
  });

  it('mounts the ConfigMap at /scenario, data files at their relative paths, and a writable emptyDir at /tmp', () => {
    expect(configMap.apiVersion).toBe('v1');
    expect(configMap.kind).toBe('ConfigMap');
    expect(configMap.metadata?.name).toBe('bench-shop-checkout-scenario');
    expect(configMap.data?.['Shop.Checkout.yml']).toBe(scenarioText);
    expect(configMap.data?.['data.users.csv']).toBe('user,password\nann,x1\nbob,x2\n');
    const volumes = job.spec?.template.spec?.volumes ?? [];
    expect(volumes.find((v) => v.name === 'scenario')?.configMap).toEqual({
      name: 'bench-shop-checkout-scenario',
      items: [
        { key: 'Shop.Checkout.yml', path: 'Shop Checkout.yml' },
        { key: 'data.users.csv', path: 'data/users.csv' },
      ],
    });
    expect(volumes.find((v) => v.name === 'tmp')?.emptyDir).toEqual({ sizeLimit: '256Mi' });
    expect(container.volumeMounts).toEqual([
      { name: 'scenario', mountPath: '/scenario', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
  });

  it('keeps the ${VAR} references for the pod to resolve: no secret value in the manifest', () => {
    expect(text).toContain('Bearer ${API_TOKEN}');
    expect(text).not.toContain('namespace: undefined');
  });

  it('matches the golden manifest', () => {
    const golden = join(import.meta.dirname, 'golden', 'k8s-manifest.yaml');
    const text = k8sManifests(options({ name: 'bench-shop' }));
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('--start-delay: a fixed start instead of the barrier (no Service, no port)', () => {
    const fixed = k8sManifests(options({ startDelaySeconds: 5 }));
    const { service, container: c, job: j } = documents(fixed);
    expect(service).toBeUndefined();
    expect(c.args).toContain('--start-at');
    expect(c.args).toContain('2025-01-01T12:00:05.000Z');
    expect(c.args).not.toContain('--coordinator');
    expect(c.ports).toBeUndefined();
    expect(j.spec?.activeDeadlineSeconds).toBe(5 + 60 + 10 + 60);
  });

  it('refuses bad input in one line', () => {
    const refuses = (over: Partial<K8sOptions>, pattern: RegExp): void => {
      expect(() => k8sManifests(options(over))).toThrow(UsageError);
      expect(() => k8sManifests(options(over))).toThrow(pattern);
    };
    refuses({ parallelism: 0 }, /parallelism/);
    refuses({ parallelism: 2.5 }, /parallelism/);
    refuses({ name: 'Bad_Name' }, /invalid job name "Bad_Name"/);
    refuses({ image: '' }, /invalid image/);
    refuses({ dataFiles: [{ name: '../secrets.csv', content: '' }] }, /inside the scenario's folder/);
    refuses({ dataFiles: [{ name: '/etc/passwd', content: '' }] }, /inside the scenario's folder/);
    refuses({ dataFiles: [{ name: 'big.csv', content: 'x'.repeat(1_100_000) }] }, /1 MiB/);
    refuses({ cpu: 'two' }, /--cpu: "two" is not a Kubernetes quantity/);
    refuses({ memory: '1 GB' }, /--memory/);
    refuses({ coordinatorPort: 70000 }, /--coordinator-port/);
  });
});

// Every emitted document against the Kubernetes OpenAPI schemas (kubernetes-models' validators, generated
// from the API's OpenAPI spec; field names are checked at compile time by kubernetes-types) and the Pod
// against the restricted Pod Security Standard, its rules written from the standard's table
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/, baseline + restricted).
const require = createRequire(import.meta.url);
const MODELS: Record<string, string> = {
  'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1/Service': 'kubernetes-models/v1/Service',
  'batch/v1/Job': 'kubernetes-models/batch/v1/Job',
};

function validateSchema(doc: Record<string, unknown>): void {
  const module = MODELS[`${String(doc.apiVersion)}/${String(doc.kind)}`];
  if (!module) throw new Error(`no schema for ${String(doc.apiVersion)} ${String(doc.kind)}`);
  const Model = require(module)[String(doc.kind)] as new (data: unknown) => { validate(): void };
  new Model(doc).validate();
}

/** The restricted profile's violations of a pod spec, one line each (empty: it is admitted). */
function restrictedViolations(pod: PodSpec): string[] {
  const problems: string[] = [];
  const containers = [...(pod.initContainers ?? []), ...pod.containers, ...((pod.ephemeralContainers ?? []) as Container[])];
  const podSc = pod.securityContext ?? {};
  // baseline
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push('host namespaces');
  if (podSc.windowsOptions?.hostProcess) problems.push('hostProcess');
  for (const v of pod.volumes ?? []) if (v.hostPath) problems.push(`hostPath volume ${v.name}`);
  const safeSysctls = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
  for (const s of podSc.sysctls ?? []) if (!safeSysctls.has(s.name)) problems.push(`unsafe sysctl ${s.name}`);
  const seLinuxTypes = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
  const checkSeLinux = (o: { type?: string; user?: string; role?: string } | undefined, where: string): void => {
    if (!o) return;
    if (!seLinuxTypes.has(o.type ?? '')) problems.push(`${where}: SELinux type ${o.type}`);
    if (o.user || o.role) problems.push(`${where}: SELinux user/role set`);
  };
  checkSeLinux(podSc.seLinuxOptions, 'pod');
  // restricted: volume types
  const allowedVolumes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
  for (const v of pod.volumes ?? []) {
    const kinds = Object.keys(v).filter((k) => k !== 'name');
    for (const k of kinds) if (!allowedVolumes.includes(k)) problems.push(`volume ${v.name}: type ${k} not allowed`);
  }
  const seccompOk = (t: string | undefined): boolean => t === 'RuntimeDefault' || t === 'Localhost';
  const podSeccomp = podSc.seccompProfile?.type;
  if (podSeccomp !== undefined && !seccompOk(podSeccomp)) problems.push(`pod seccomp ${podSeccomp}`);
  if (podSc.runAsUser === 0) problems.push('pod runAsUser 0');
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.privileged) problems.push(`${where}: privileged`);
    if (sc.windowsOptions?.hostProcess) problems.push(`${where}: hostProcess`);
    for (const p of c.ports ?? []) if (p.hostPort) problems.push(`${where}: hostPort ${p.hostPort}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') problems.push(`${where}: procMount ${sc.procMount}`);
    checkSeLinux(sc.seLinuxOptions, where);
    if (sc.appArmorProfile && !['RuntimeDefault', 'Localhost'].includes(sc.appArmorProfile.type)) problems.push(`${where}: AppArmor ${sc.appArmorProfile.type}`);
    // restricted
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
    if (!(sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && podSc.runAsNonRoot === true))) problems.push(`${where}: runAsNonRoot must be true`);
    if (sc.runAsUser === 0) problems.push(`${where}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (!seccompOk(seccomp)) problems.push(`${where}: seccompProfile must be RuntimeDefault or Localhost`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities must drop ALL`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') problems.push(`${where}: adds capability ${cap}`);
  }
  return problems;
}

describe('every emitted manifest passes the Kubernetes schemas and the restricted Pod Security Standard', () => {
  const variants: Array<[string, Partial<K8sOptions>]> = [
    ['barrier (default)', {}],
    ['fixed start', { startDelaySeconds: 30 }],
    ['namespace, secret, sizes, one pod', { namespace: 'load', secretName: 'env', cpu: '1500m', memory: '2Gi', parallelism: 1, coordinatorPort: 9000, barrierTimeoutSeconds: 60 }],
  ];
  for (const [label, over] of variants) {
    it(`${label}: schema-valid, restricted-compliant`, () => {
      const docs = allDocuments(k8sManifests(options(over)));
      expect(docs.length).toBeGreaterThanOrEqual(2);
      for (const doc of docs) expect(() => validateSchema(doc), `${String(doc.kind)}`).not.toThrow();
      const job = docs.find((d) => d.kind === 'Job') as Job;
      expect(restrictedViolations(job.spec!.template.spec!)).toEqual([]);
    });
  }

  it('the checks catch what they check (a pod the restricted profile rejects; a Job the schema rejects)', () => {
    const job = documents(k8sManifests(options())).job;
    const pod = structuredClone(job.spec!.template.spec!);
    pod.containers[0]!.securityContext = { runAsNonRoot: true };
    pod.securityContext = {};
    pod.volumes = [...(pod.volumes ?? []), { name: 'host', hostPath: { path: '/' } }];
    expect(restrictedViolations(pod)).toEqual(
      expect.arrayContaining([
        'hostPath volume host',
        'volume host: type hostPath not allowed',
        'container bench: allowPrivilegeEscalation must be false',
        'container bench: seccompProfile must be RuntimeDefault or Localhost',
        'container bench: capabilities must drop ALL',
      ]),
    );
    const broken = structuredClone(job) as unknown as Record<string, unknown>;
    (broken.spec as Record<string, unknown>).backoffLimit = 'zero';
    expect(() => validateSchema(broken)).toThrow(/backoffLimit must be integer/);
  });
});

describe('dataFilePaths', () => {
  it('lists the csv files of data sources, once each', () => {
    const text = 'name: x\ndata:\n  users: { csv: data/users.csv }\n  more: { csv: data/users.csv }\n  ids: { csv: ids.csv }\n  inline: [1, 2]\n';
    expect(dataFilePaths(text)).toEqual(['data/users.csv', 'ids.csv']);
    expect(dataFilePaths(scenarioText)).toEqual(['data/users.csv']);
    expect(dataFilePaths('name: x\n')).toEqual([]);
    expect(dataFilePaths('data: [')).toEqual([]);
  });
});

describe('bench k8s on the command line', () => {
  it('defaults --image to the image the Dockerfile builds under the package name', async () => {
    const { runCli } = await import('./helpers/cli.js');
    const run = await runCli(['k8s', 'test/fixtures/cli/open-200.yml', '--parallelism', '2'], { timeoutMs: 15_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\s+image: slo-bench:latest$/m);
  });
});
