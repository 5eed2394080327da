// Where a run's reports go, settled before any load is sent: an unusable folder must not cost a run.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { makeFolders } from './atomic.js';

/** reports/<scenario>-<timestamp>: sortable, safe in every file system. */
export function defaultOutDir(scenario: string, startedAtMs: number): string {
  const stamp = new Date(startedAtMs).toISOString().replace(/[:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const safe = scenario.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
  return `reports/${safe}-${stamp}`;
}

/**
 * Creates the out dir now and checks it is writable. A default dir that already exists (two runs in
 * the same second) gets a suffix, so one run never overwrites another's reports; an explicit --out is
 * the user's to reuse.
 */
export function prepareOutDir(explicit: string | undefined, scenario: string, nowMs: number): string {
  let dir = resolve(explicit ?? defaultOutDir(scenario, nowMs));
  if (explicit === undefined) {
    for (let n = 2; existsSync(dir); n++) dir = resolve(`${defaultOutDir(scenario, nowMs)}-${n}`);
  }
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} is a file, not a folder`);
    makeFolders(dir); // bounded (Node's recursive mkdir can loop forever, see atomic.ts)
    accessSync(dir, constants.W_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot write reports to ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return dir;
}
