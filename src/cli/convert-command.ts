// `bench convert artillery.yml [-o FILE]`: an Artillery script's common subset as a bench scenario, on
// stdout or in a file; what was not converted heads it as a comment and is said once on stderr.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { convertArtillery } from '../scenario/convert-artillery.js';
import { MAX_SCENARIO_BYTES, parseYamlSource, toPlainData } from '../scenario/yaml-source.js';
import { writeFileAtomic } from './atomic.js';
import type { Console } from './console.js';

export interface ConvertFlags {
  out?: string;
  force?: boolean;
}

export async function convertCommand(file: string, flags: ConvertFlags, io: Console): Promise<number> {
  const text = readScript(file);
  const source = parseYamlSource(text);
  const first = source.issues[0];
  if (first) throw new UsageError(`${file}:${first.position.line}:${first.position.col}: ${first.message}`);
  const data = toPlainData(source);
  if ('issue' in data) throw new UsageError(`${file}: ${data.issue.message}`);
  const doc = data.value;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !('scenarios' in doc || 'config' in doc)) {
    throw new UsageError(`${file}: not an Artillery script (no config: or scenarios:)`);
  }
  const { text: scenario, notConverted } = convertArtillery(doc, basename(file));
  if (flags.out) {
    if (existsSync(flags.out) && !flags.force) throw new UsageError(`${flags.out} exists; pass --force to overwrite it`);
    writeFileAtomic(flags.out, scenario); // makes the folder; a place it cannot write to is one line, exit 3
  } else io.out(scenario.replace(/\n$/, ''));
  const where = flags.out ?? 'the scenario';
  io.err(
    notConverted.length === 0
      ? `bench convert: ${file} converted in full${flags.out ? ` to ${flags.out}` : ''}; check it with bench validate`
      : `bench convert: ${notConverted.length} part${notConverted.length === 1 ? '' : 's'} of ${file} not converted — listed at the top of ${where}`,
  );
  return EXIT.ok;
}

function readScript(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (size > MAX_SCENARIO_BYTES) throw new UsageError(`${file} is ${size} bytes; the limit is ${MAX_SCENARIO_BYTES}`);
  return readFileSync(file, 'utf8');
}
