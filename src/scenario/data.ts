// `data:` CSV sources, loaded once at load time and shared by every user (rows are frozen, never copied).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { Vars } from '../types.js';
import type { ProblemList } from './problems.js';

export interface DataSource {
  name: string;
  rows: ReadonlyArray<Readonly<Record<string, string>>>;
  fields: ReadonlySet<string>;
  order: 'sequential' | 'random';
}

export async function loadDataSources(data: unknown, baseDir: string, problems: ProblemList): Promise<DataSource[]> {
  if (data === null || typeof data !== 'object') return [];
  const entries = Object.entries(data as Record<string, { csv?: unknown; order?: unknown }>);
  const loaded = await Promise.all(entries.map(([name, spec]) => loadOne(name, spec, baseDir, problems)));
  return loaded.filter((source): source is DataSource => source !== null);
}

async function loadOne(name: string, spec: { csv?: unknown; order?: unknown; delimiter?: unknown }, baseDir: string, problems: ProblemList): Promise<DataSource | null> {
  if (typeof spec?.csv !== 'string') return null;
  const file = resolve(baseDir, spec.csv);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    problems.add(['data', name, 'csv'], `cannot read data file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return null;
  }
  const delimiter = typeof spec.delimiter === 'string' && spec.delimiter !== '' ? spec.delimiter : ',';
  const rows = parseRows(text, file, problems, delimiter);
  if (rows === null) return null;
  if (rows.length === 0) {
    problems.add(['data', name, 'csv'], `data file ${file} has a header but no rows`);
    return null;
  }
  const fields = new Set(Object.keys(rows[0]!));
  return { name, rows: rows.map((row) => Object.freeze(row)), fields, order: spec.order === 'random' ? 'random' : 'sequential' };
}

function parseRows(text: string, file: string, problems: ProblemList, delimiter: string): Array<Record<string, string>> | null {
  try {
    // csv-parse is loaded for scenarios that have data files only.
    const { parse } = createRequire(import.meta.url)('csv-parse/sync') as typeof import('csv-parse/sync');
    return parse(text, { columns: true, skip_empty_lines: true, bom: true, delimiter }) as Array<Record<string, string>>;
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    problems.addAt({ file, line: lines ?? 1, col: 1, path: '', message: message.replace(/ on line \d+$/, '') });
    return null;
  }
}

/**
 * Plan.iterationVars: `variables:` layered over `shared` (cached per shared object, so an iteration
 * allocates one object), then each data source's row for this iteration.
 */
export function makeIterationVars(variables: Vars, sources: readonly DataSource[]): (seq: number, shared: Vars) => Vars {
  const layers = new WeakMap<Vars, Vars>();
  const layerFor = (shared: Vars): Vars => {
    let layer = layers.get(shared);
    if (!layer) {
      layer = Object.assign(Object.create(shared) as Vars, variables);
      layers.set(shared, layer);
    }
    return layer;
  };
  return (seq, shared) => {
    const vars = Object.create(layerFor(shared)) as Vars;
    for (const source of sources) vars[source.name] = source.rows[rowIndex(source, seq)];
    return vars;
  };
}

function rowIndex(source: DataSource, seq: number): number {
  const n = source.rows.length;
  return source.order === 'random' ? scramble(seq) % n : seq % n;
}

/** A cheap integer hash: the same seq always picks the same row, so segments and reruns agree. */
function scramble(seq: number): number {
  let x = (seq + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
