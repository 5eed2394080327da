// Finding (or installing) what the suite needs. Never fails silently: what is missing becomes a note.
import { spawnSync } from 'node:child_process';
import { have } from './proc.mjs';

let aptUpdated = false;

/** Install the first installable Debian package of `candidates` unless `cmd` already exists. */
export function ensureCommand(cmd, candidates, notes) {
  if (have(cmd)) return true;
  if (!have('apt-get')) {
    notes.push(`${cmd}: not found and apt-get is unavailable; its rows are skipped`);
    return false;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    process.stderr.write('apt-get update …\n');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    aptUpdated = true;
  }
  for (const pkg of candidates) {
    process.stderr.write(`apt-get install ${pkg} …\n`);
    spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'ignore', env });
    if (have(cmd)) return true;
  }
  notes.push(`${cmd}: could not install (${candidates.join(', ')}); its rows are skipped`);
  return false;
}

/** Everything the suite may use; returns which tools are available. */
export function ensureTools(notes) {
  return {
    time: ensureCommand('/usr/bin/time', ['time'], notes),
    taskset: ensureCommand('taskset', ['util-linux'], notes),
    nginx: ensureCommand('nginx', ['nginx-light', 'nginx', 'nginx-core'], notes),
    wrk: ensureCommand('wrk', ['wrk'], notes),
  };
}
