// `bench convert`: an Artillery script's common subset → a bench scenario, and the list of what was not
// converted (it heads the output as a comment). Pure: document in, text out.
//
// Converted: config.target, config.phases (duration, arrivalRate, rampTo, arrivalCount, name), config.http.timeout,
// config.defaults.headers, config.payload (CSV: path, order, delimiter; its fields' {{ field }} become
// {{ source.field }}), config.ensure (p50/median, p90, p95, p99, max, min, maxErrorRate; the thresholds
// list form too), scenarios (name, weight, flow) with get/post/put/patch/delete (url, name, json, body,
// headers, qs, capture json/header, expect statusCode/contentType), think, and the template helpers
// $randomNumber → randomInt, $uuid → uuid(), $processEnvironment.X → ${X}.
import { stringify } from 'yaml';

type Raw = Record<string, unknown>;

export interface Conversion {
  /** the bench scenario, YAML, with the header comment */
  text: string;
  /** what was left out, one line each, as in the header comment */
  notConverted: string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const ENSURE_METRICS: Readonly<Record<string, string>> = { min: 'min', max: 'max', median: 'p50', p50: 'p50', p75: 'p75', p90: 'p90', p95: 'p95', p99: 'p99', p999: 'p99.9' };

const isMap = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export function convertArtillery(doc: unknown, sourceName: string): Conversion {
  const notes: string[] = [];
  const skip = (where: string, what: string): void => {
    notes.push(`${where}: ${what}`);
  };
  const root = isMap(doc) ? doc : {};
  if (!isMap(doc)) skip('(document)', 'not a map: nothing to convert');
  const config = isMap(root.config) ? root.config : {};
  const out: Raw = { name: scenarioName(sourceName) };

  if (typeof config.target === 'string') out.target = config.target;
  else skip('config.target', 'missing: pass --target URL to bench run');

  const payload = convertPayload(config.payload, skip);
  const templates = new TemplateRewriter(payload.fields, skip);

  const http: Raw = {};
  const httpConfig = isMap(config.http) ? config.http : {};
  if (typeof httpConfig.timeout === 'number' || typeof httpConfig.timeout === 'string') http.timeout = seconds(httpConfig.timeout);
  for (const key of Object.keys(httpConfig)) if (key !== 'timeout') skip(`config.http.${key}`, 'not converted');
  const defaults = isMap(config.defaults) ? config.defaults : {};
  if (isMap(defaults.headers)) http.headers = templates.value(defaults.headers, 'config.defaults.headers');
  for (const key of Object.keys(defaults)) if (key !== 'headers') skip(`config.defaults.${key}`, 'not converted');
  if (Object.keys(http).length > 0) out.http = http;

  const load = asList(config.phases).flatMap((phase, i) => convertPhase(phase, `config.phases[${i}]`, skip));
  if (load.length > 0) out.load = load;
  else skip('config.phases', 'none that bench can run: add load: (or run with --rate N --duration D)');

  if (Object.keys(payload.data).length > 0) out.data = payload.data;

  const flows = asList(root.scenarios).flatMap((scenario, i) => convertScenario(scenario, i, templates, skip));
  if (flows.length > 0) out.flows = flows;
  else skip('scenarios', 'no scenario with a flow: add flows:');

  out.slo = convertEnsure(config.ensure, skip);

  const handled = new Set(['target', 'phases', 'payload', 'http', 'defaults', 'ensure']);
  for (const key of Object.keys(config)) if (!handled.has(key)) skip(`config.${key}`, 'not converted');
  for (const key of Object.keys(root)) if (key !== 'config' && key !== 'scenarios') skip(key, 'not converted');

  const body = stringify(out, { lineWidth: 0 });
  return { text: header(sourceName, notes, out.slo as unknown[]) + body, notConverted: notes };
}

function header(sourceName: string, notes: string[], slo: unknown[]): string {
  const lines = [`# Converted from the Artillery script ${sourceName} by bench convert. Check it: bench validate <this file>`];
  if (notes.length === 0) lines.push('# Everything in it was converted.');
  else {
    lines.push('# Not converted (do these by hand, or drop them):');
    for (const note of notes) lines.push(`#   - ${note.replace(/\n/g, ' ')}`);
  }
  if (slo.length === 0) lines.push("# No ensure: in the script, so no SLOs here (slo: [] — bench's defaults would gate p95 < 200ms, rps >= 100, error_rate < 1%).");
  return `${lines.join('\n')}\n\n`;
}

function scenarioName(sourceName: string): string {
  return sourceName.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '') || 'converted';
}

/** Artillery durations are seconds when bare ("60"), else "10m", "1h", "500ms". */
function seconds(value: unknown): string {
  const text = String(value).trim();
  return /^\d+(\.\d+)?$/.test(text) ? `${text}s` : text;
}

function rate(value: unknown): string {
  return `${Number(value)}/s`;
}

function convertPhase(raw: unknown, where: string, skip: (where: string, what: string) => void): Raw[] {
  if (!isMap(raw)) {
    skip(where, 'not a phase');
    return [];
  }
  if ('pause' in raw) {
    skip(where, 'pause (bench has no idle phase: split the run, or leave it out)');
    return [];
  }
  // arrivalCount: N arrivals spread over the phase, i.e. N / duration per second (duration in seconds)
  const countRate = typeof raw.arrivalCount === 'number' && typeof raw.duration === 'number' && raw.duration > 0 ? raw.arrivalCount / raw.duration : undefined;
  if (raw.duration === undefined || (typeof raw.arrivalRate !== 'number' && countRate === undefined)) {
    skip(where, `${Object.keys(raw).filter((k) => k !== 'name' && k !== 'duration').join(', ') || 'phase'} (only duration + arrivalRate [+ rampTo] or arrivalCount phases convert)`);
    return [];
  }
  const phase: Raw = {};
  if (typeof raw.name === 'string') phase.name = raw.name;
  phase.duration = seconds(raw.duration);
  phase.rate = rate(countRate ?? raw.arrivalRate);
  if (typeof raw.rampTo === 'number' && countRate === undefined) phase.rampTo = rate(raw.rampTo);
  for (const key of Object.keys(raw)) if (!['name', 'duration', 'arrivalRate', 'rampTo', 'arrivalCount'].includes(key)) skip(`${where}.${key}`, 'not converted');
  return [phase];
}

interface Payload {
  data: Raw;
  /** field → `source.field` */
  fields: Map<string, string>;
}

function convertPayload(raw: unknown, skip: (where: string, what: string) => void): Payload {
  const data: Raw = {};
  const fields = new Map<string, string>();
  const list = asList(raw);
  list.forEach((item, i) => {
    const where = Array.isArray(raw) ? `config.payload[${i}]` : 'config.payload';
    if (!isMap(item) || typeof item.path !== 'string') {
      skip(where, 'no path: not converted');
      return;
    }
    let name = item.path.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_]/g, '_') || 'data';
    if (/^\d/.test(name)) name = `_${name}`;
    while (name in data) name = `${name}_${i}`;
    const source: Raw = { csv: item.path };
    if (item.order === 'random') source.order = 'random';
    if (typeof item.delimiter === 'string' && item.delimiter !== ',') source.delimiter = item.delimiter;
    data[name] = source;
    const names = asList(item.fields).filter((f): f is string => typeof f === 'string');
    for (const field of names) fields.set(field, `${name}.${field}`);
    skip(
      where,
      item.skipHeader === true
        ? `${item.path}: bench names the fields from its header row: check it reads ${names.join(',')}`
        : `${item.path}: bench names the fields from a header row: add the line "${names.join(',')}" at its top`,
    );
    for (const key of Object.keys(item)) if (!['path', 'fields', 'order', 'delimiter', 'skipHeader'].includes(key)) skip(`${where}.${key}`, 'not converted');
  });
  return { data, fields };
}

/** {{ field }} of a payload → {{ source.field }}; Artillery's helpers → bench's; unknown helpers noted. */
class TemplateRewriter {
  constructor(
    private readonly fields: ReadonlyMap<string, string>,
    private readonly skip: (where: string, what: string) => void,
  ) {}

  text(value: string, where: string): string {
    return value.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, inner: string) => {
      const env = /^\$(?:processEnvironment|env)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(inner);
      if (env) return `\${${env[1]}}`;
      const random = /^\$randomNumber\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)$/.exec(inner);
      if (random) return `{{ randomInt(${random[1]}, ${random[2]}) }}`;
      if (/^\$uuid(\(\))?$/.test(inner)) return '{{ uuid() }}';
      if (inner.startsWith('$')) {
        this.skip(where, `template ${whole} (no bench equivalent)`);
        return whole;
      }
      const field = this.fields.get(inner);
      return field ? `{{ ${field} }}` : `{{ ${inner} }}`;
    });
  }

  value(value: unknown, where: string): unknown {
    if (typeof value === 'string') return this.text(value, where);
    if (Array.isArray(value)) return value.map((v, i) => this.value(v, `${where}[${i}]`));
    if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.value(v, `${where}.${k}`)]));
    return value;
  }
}

function convertScenario(raw: unknown, index: number, templates: TemplateRewriter, skip: (where: string, what: string) => void): Raw[] {
  const where = `scenarios[${index}]`;
  if (!isMap(raw) || !Array.isArray(raw.flow)) {
    skip(where, 'no flow: not converted');
    return [];
  }
  const steps = raw.flow.flatMap((step, i) => convertStep(step, `${where}.flow[${i}]`, templates, skip));
  if (steps.length === 0) {
    skip(where, 'no request in its flow: left out');
    return [];
  }
  const flow: Raw = {};
  flow.name = typeof raw.name === 'string' ? raw.name : `scenario-${index + 1}`;
  if (typeof raw.weight === 'number' && raw.weight > 0) flow.weight = raw.weight;
  flow.steps = steps;
  for (const key of Object.keys(raw)) if (!['name', 'weight', 'flow'].includes(key)) skip(`${where}.${key}`, 'not converted');
  return [flow];
}

function convertStep(raw: unknown, where: string, templates: TemplateRewriter, skip: (where: string, what: string) => void): Raw[] {
  if (!isMap(raw)) {
    skip(where, 'not a step');
    return [];
  }
  if ('think' in raw && Object.keys(raw).length === 1) return [{ think: seconds(raw.think) }];
  const method = METHODS.find((m) => m in raw);
  if (!method || Object.keys(raw).length !== 1 || !isMap(raw[method])) {
    skip(where, `${Object.keys(raw).join(', ') || 'empty step'} (only get/post/put/patch/delete and think convert)`);
    return [];
  }
  const spec = raw[method] as Raw;
  const at = `${where}.${method}`;
  if (typeof spec.url !== 'string') {
    skip(at, 'no url: left out');
    return [];
  }
  const step: Raw = {};
  if (typeof spec.name === 'string') step.name = spec.name;
  step[method] = templates.text(spec.url, `${at}.url`);
  if (isMap(spec.headers)) step.headers = templates.value(spec.headers, `${at}.headers`);
  if (isMap(spec.qs)) step.query = templates.value(spec.qs, `${at}.qs`);
  if (spec.json !== undefined) step.json = templates.value(spec.json, `${at}.json`);
  else if (typeof spec.body === 'string') step.body = templates.text(spec.body, `${at}.body`);
  const expect = convertExpect(spec.expect, `${at}.expect`, skip);
  if (expect) step.expect = expect;
  const capture = convertCapture(spec.capture, `${at}.capture`, skip);
  if (capture) step.capture = capture;
  for (const key of Object.keys(spec)) if (!['url', 'name', 'headers', 'qs', 'json', 'body', 'expect', 'capture'].includes(key)) skip(`${at}.${key}`, 'not converted');
  return [step];
}

/** expect: [{ statusCode: 200 }, { contentType: json }] (or one map) → { status, headers }. */
function convertExpect(raw: unknown, where: string, skip: (where: string, what: string) => void): Raw | null {
  if (raw === undefined) return null;
  const expect: Raw = {};
  for (const [i, item] of asList(raw).entries()) {
    if (!isMap(item)) {
      skip(`${where}[${i}]`, 'not converted');
      continue;
    }
    for (const [key, value] of Object.entries(item)) {
      if (key === 'statusCode' && (typeof value === 'number' || (Array.isArray(value) && value.every((v) => typeof v === 'number')))) expect.status = value;
      else if (key === 'contentType' && typeof value === 'string') expect.headers = { 'content-type': value === 'json' ? '/json/' : `/${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/` };
      else skip(`${where}[${i}]`, `${key} (only statusCode and contentType convert)`);
    }
  }
  return Object.keys(expect).length > 0 ? expect : null;
}

/** capture: { json: "$.id", as: id } (or a list) → { id: $.id }; header captures too. */
function convertCapture(raw: unknown, where: string, skip: (where: string, what: string) => void): Raw | null {
  if (raw === undefined) return null;
  const capture: Raw = {};
  for (const [i, item] of asList(raw).entries()) {
    if (!isMap(item) || typeof item.as !== 'string') {
      skip(`${where}[${i}]`, 'no "as": not converted');
      continue;
    }
    if (typeof item.json === 'string' && item.json.startsWith('$')) capture[item.as] = item.json;
    else if (typeof item.header === 'string') capture[item.as] = { header: item.header };
    else skip(`${where}[${i}]`, `${Object.keys(item).filter((k) => k !== 'as').join(', ')} capture (only json and header convert)`);
  }
  return Object.keys(capture).length > 0 ? capture : null;
}

/** ensure: { p95: 200, maxErrorRate: 1 } or { thresholds: [{ "http.response_time.p95": 200 }] } → SLO strings. */
function convertEnsure(raw: unknown, skip: (where: string, what: string) => void): string[] {
  if (!isMap(raw)) return [];
  const slo: string[] = [];
  const latency = (metric: string, value: unknown, where: string): void => {
    const ours = ENSURE_METRICS[metric];
    if (ours && typeof value === 'number') slo.push(`${ours} <= ${value}ms`);
    else skip(where, 'not converted');
  };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'maxErrorRate' && typeof value === 'number') slo.push(`error_rate <= ${value}%`);
    else if (key === 'thresholds' && Array.isArray(value)) {
      value.forEach((item, i) => {
        for (const [name, v] of Object.entries(isMap(item) ? item : {})) {
          const m = /^http\.response_time\.(\w+)$/.exec(name);
          if (m) latency(m[1]!, v, `config.ensure.thresholds[${i}].${name}`);
          else skip(`config.ensure.thresholds[${i}].${name}`, 'not converted');
        }
      });
    } else latency(key, value, `config.ensure.${key}`);
  }
  return slo;
}
