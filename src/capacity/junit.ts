// junit.xml of a capacity search: one testcase per target for --min-capacity (or for the search itself). Pure.
import { escapeXml as x } from '../report/escape.js';
import type { CapacityDocument, CapacityTarget } from './document.js';
import { meetsMinimum, rateText } from './document.js';

export function capacityJunit(doc: CapacityDocument): string {
  const cases = doc.targets.map((t) => testcase(doc, t));
  const failures = cases.filter((k) => k.kind === 'failure').length;
  const errors = cases.filter((k) => k.kind === 'error').length;
  const attrs = `tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${(doc.durationMs / 1000).toFixed(3)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bench capacity" ${attrs}>`,
    `  <testsuite name="${x(`bench capacity: ${doc.scenario}`)}" ${attrs} timestamp="${x(doc.startedAt)}">`,
    ...cases.map((k) => k.xml),
    '  </testsuite>',
    '</testsuites>',
  ].join('\n') + '\n';
}

function testcase(doc: CapacityDocument, t: CapacityTarget): { kind: 'pass' | 'failure' | 'error'; xml: string } {
  const min = doc.minCapacity;
  const name = min === null ? `capacity of ${t.name}` : `capacity of ${t.name} >= ${rateText(min)}`;
  const open = `    <testcase classname="${x(`capacity.${doc.scenario}`)}" name="${x(name)}" time="${(doc.durationMs / 1000).toFixed(3)}">`;
  const verdict = min === null ? (t.status === 'never-passed' ? false : t.capacity === null && t.bestPass === null ? null : true) : meetsMinimum(t, min);
  if (verdict === true) return { kind: 'pass', xml: `${open}\n      <system-out>${x(t.message)}</system-out>\n    </testcase>` };
  if (verdict === false) return { kind: 'failure', xml: `${open}\n      <failure message="${x(t.message)}" type="capacity">${x(t.message)}</failure>\n    </testcase>` };
  return { kind: 'error', xml: `${open}\n      <error message="${x(t.message)}" type="undetermined">${x(t.message)}</error>\n    </testcase>` };
}
