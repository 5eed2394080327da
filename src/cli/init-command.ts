// `bench init`: a commented starter scenario that validates as written.
import { existsSync, writeFileSync } from 'node:fs';
import { EXIT, UsageError } from '../errors.js';
import { initTemplate } from '../scenario/init.js';
import type { Console } from './console.js';

export async function initCommand(file: string, force: boolean, io: Console): Promise<number> {
  if (existsSync(file) && !force) throw new UsageError(`${file} exists; pass --force to overwrite it`);
  writeFileSync(file, initTemplate());
  io.err(`wrote ${file} — edit target and load, then: bench run ${file}`);
  return EXIT.ok;
}
