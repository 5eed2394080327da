// `bench init`: a commented starter scenario that validates as written.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { INSTALLED_SCHEMA, initTemplate } from '../scenario/init.js';
import type { Console } from './console.js';
import { writeFileAtomic } from './atomic.js';

export async function initCommand(file: string, force: boolean, io: Console): Promise<number> {
  if (existsSync(file) && !force) throw new UsageError(`${file} exists; pass --force to overwrite it`);
  // a place it cannot write to (no permission, a file where a folder should be, a full disk) is one line, exit 3
  writeFileAtomic(file, initTemplate({ file, schemaPath: schemaPathFor(file) }));
  io.err(`wrote ${file} — edit target and load, then: bench run ${file}`);
  return EXIT.ok;
}

/**
 * The modeline's path from the file's folder to the installed schema: the nearest
 * node_modules/slo-bench above the file, else where `npm i -D slo-bench` in the current folder puts it.
 */
export function schemaPathFor(file: string, cwd = process.cwd()): string {
  const from = dirname(resolve(cwd, file));
  let installed = join(cwd, INSTALLED_SCHEMA);
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, INSTALLED_SCHEMA))) {
      installed = join(dir, INSTALLED_SCHEMA);
      break;
    }
    if (dirname(dir) === dir) break;
  }
  const path = relative(from, installed).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}
