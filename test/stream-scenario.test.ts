// The scenario's `stream:` block: checked by the schema, carried on the plan, merged under --stream.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/scenario/load.js';
import { streamConfig, parseStreamFlag } from '../src/stream/config.js';

const base = 'target: http://127.0.0.1:1\nload: [{ duration: 1s, rate: 1 }]\nflows: [{ steps: [{ get: / }] }]\n';

describe('stream: in the scenario', () => {
  it('carries interval, labels, histograms and outputs (env-substituted) to the stream config', async () => {
    const plan = await parseScenario(`${base}stream:\n  prometheus: \${PROM}\n  interval: 2s\n  labels: { team: checkout }\n  histograms: classic\n`, '/tmp/s.yml', { env: { PROM: 'http://127.0.0.1:9090/api/v1/write' } });
    const config = streamConfig([], plan.stream, {});
    expect(config).toEqual({ outputs: [{ kind: 'prometheus', url: 'http://127.0.0.1:9090/api/v1/write' }], intervalMs: 2000, labels: { team: 'checkout' }, histograms: 'classic' });
    // a --stream of the same kind replaces the file's URL
    const flagged = streamConfig([parseStreamFlag('prometheus=http://10.0.0.1:9090/api/v1/write')], plan.stream, {});
    expect(flagged!.outputs).toEqual([{ kind: 'prometheus', url: 'http://10.0.0.1:9090/api/v1/write' }]);
  });

  it('an unknown key or a bare-number interval is a scenario problem naming the field', async () => {
    await expect(parseScenario(`${base}stream:\n  influx: http://x\n`, '/tmp/s.yml', { env: {} })).rejects.toThrow(/stream.*influx/);
    await expect(parseScenario(`${base}stream:\n  interval: 5\n`, '/tmp/s.yml', { env: {} })).rejects.toThrow(/stream\.interval|interval/);
  });
});
