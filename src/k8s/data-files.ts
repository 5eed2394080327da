// Which files a scenario reads besides itself, so `bench k8s` can ship them in the ConfigMap. Pure.
import { parse } from 'yaml';

/** Paths of the `data:` sources (`users: { csv: data/users.csv }`), as written: relative to the scenario. */
export function dataFilePaths(scenarioText: string): string[] {
  let doc: unknown;
  try {
    doc = parse(scenarioText);
  } catch {
    return []; // an unreadable scenario is reported by the validator, not here
  }
  const data = isObject(doc) ? doc.data : undefined;
  if (!isObject(data)) return [];
  const paths = Object.values(data).flatMap((source) => (isObject(source) && typeof source.csv === 'string' ? [source.csv] : []));
  return [...new Set(paths)];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
