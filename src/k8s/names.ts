// Kubernetes names and ConfigMap keys derived from file names. Pure.
import { posix } from 'node:path';
import { UsageError } from '../errors.js';

// An Indexed Job's pods are named <job>-<index>-<5 random>, and their hostnames must stay ≤ 63 characters.
const MAX_JOB_NAME = 52;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** "Product Catalog.yml" → "bench-product-catalog": a DNS-1123 label short enough for an Indexed Job. */
export function defaultJobName(scenarioFile: string): string {
  const stem = posix.basename(scenarioFile.replaceAll('\\', '/')).replace(/\.ya?ml$/i, '');
  const slug = stem.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `bench-${slug || 'scenario'}`.slice(0, MAX_JOB_NAME).replace(/-+$/, '');
}

export function checkJobName(name: string): string {
  if (name.length > MAX_JOB_NAME || !DNS_LABEL.test(name)) {
    throw new UsageError(`invalid job name "${name}": use at most ${MAX_JOB_NAME} lowercase letters, digits and '-', starting and ending with a letter or digit`);
  }
  return name;
}

/** A data file's path relative to the scenario's folder, as the scenario refers to it ("data/users.csv"). */
export function checkRelativePath(name: string): string {
  const normal = posix.normalize(name.replaceAll('\\', '/'));
  if (posix.isAbsolute(normal) || normal === '.' || normal.startsWith('../') || normal === '..') {
    throw new UsageError(`data file "${name}" must be a path inside the scenario's folder (relative, without "..")`);
  }
  return normal;
}

/** ConfigMap keys allow only [-._a-zA-Z0-9]: "data/users.csv" → "data.users.csv", made unique. */
export function configMapKey(path: string, taken: ReadonlySet<string>): string {
  const base = path.replace(/[^-._a-zA-Z0-9]/g, '.').replace(/^\.+/, '') || 'file';
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}
