// `bench report`: re-render a saved result in any format, to stdout.
import { EXIT } from '../errors.js';
import { reporters } from '../report/index.js';
import { readResultFile } from './read-result.js';
import { exitCodeFor } from './run-command.js';
import type { Console } from './console.js';

export async function reportCommand(file: string, format: string, color: boolean, io: Console): Promise<number> {
  const result = readResultFile(file);
  const reporter = reporters[format as keyof typeof reporters];
  io.out(reporter(result, { color: format === 'terminal' && color }));
  return format === 'terminal' ? exitCodeFor(result) : EXIT.ok;
}
