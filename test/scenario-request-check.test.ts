// A header bench would refuse to send, written as a constant in the scenario, is a problem at load
// (exit 2, file:line and field), not 600 protocol errors at run time. Templated values are checked
// per request by the clients (test/faults-invalid-request.test.ts).
import { describe, expect, it } from 'vitest';
import { ScenarioError, type Problem } from '../src/errors.js';
import { parseScenario } from '../src/scenario/load.js';

async function problemsOf(text: string): Promise<Problem[]> {
  const error = await parseScenario(text, 's.yml').then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as ScenarioError).problems;
}

const scenario = (headers: string, defaults = ''): string =>
  `target: http://127.0.0.1:1\n${defaults}load:\n  - { duration: 1s, rate: 1/s }\nflows:\n  - steps:\n      - get: /x\n        headers:\n${headers}`;

describe('constant headers are checked at load', () => {
  it('a header name that is not a token, named by file, line and field', async () => {
    const [p, ...rest] = await problemsOf(scenario('          "bad name": v\n'));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ file: 's.yml', line: 8, path: 'flows[0].steps[0].headers["bad name"]' });
    expect(p!.message).toMatch(/invalid header name "bad name"/);
  });

  it('a value beyond Latin-1, and one in http.headers', async () => {
    const problems = await problemsOf(scenario('          x-name: 日本\n', 'http:\n  headers:\n    expect: 100-continue\n'));
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['http.headers.expect', expect.stringMatching(/"expect" is not supported/)],
      ['flows[0].steps[0].headers.x-name', expect.stringMatching(/beyond Latin-1/)],
    ]);
  });

  it('a templated value is not judged at load', async () => {
    await expect(parseScenario(scenario('          x-id: "{{ uuid() }}"\n'), 's.yml')).resolves.toBeTruthy();
  });
});
