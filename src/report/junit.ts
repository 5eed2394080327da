// JUnit XML: one testcase per SLO, so CI test views (GitLab artifacts:reports:junit, dorny/test-reporter,
// mikepenz/action-junit-report) show which SLO failed and by how much.
import type { RunResult, SloResult } from '../types.js';
import type { ReportOptions } from './options.js';
import { escapeXml as x } from './escape.js';
import { redactResult } from './redact-result.js';
import { countVerdicts, sloActual, sloLabel, sloThreshold, sloVerdict } from './slo-view.js';

export function junitReport(raw: RunResult, options: ReportOptions): string {
  const result = redactResult(raw, options.redact);
  const counts = countVerdicts(result.slo);
  const tests = result.slo.length;
  const time = (result.durationMs / 1000).toFixed(3);
  const suiteAttrs = `tests="${tests}" failures="${counts.fail}" errors="0" skipped="${counts.deferred}" time="${time}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bench" ${suiteAttrs}>`,
    `  <testsuite name="${x(`bench: ${result.scenario}`)}" ${suiteAttrs} timestamp="${x(result.startedAt)}">`,
    '    <properties>',
    property('target', result.target),
    property('model', result.model),
    property('requests', String(result.totals.requests)),
    property('sloDefaults', String(result.sloDefaults)),
    '    </properties>',
    ...result.slo.map((slo) => testcase(result.scenario, slo)),
    '  </testsuite>',
    '</testsuites>',
  ];
  return lines.join('\n') + '\n';
}

function property(name: string, value: string): string {
  return `      <property name="${x(name)}" value="${x(value)}"/>`;
}

function testcase(scenario: string, slo: SloResult): string {
  const open = `    <testcase classname="${x(`${scenario}.slo`)}" name="${x(sloLabel(slo))}" time="0"`;
  const verdict = sloVerdict(slo);
  if (verdict === 'pass') return `${open}/>`;
  if (verdict === 'deferred') {
    return `${open}>\n      <skipped message="${x(`deferred to bench merge (this segment: ${sloActual(slo)})`)}"/>\n    </testcase>`;
  }
  const message = `actual ${sloActual(slo)} vs threshold ${sloThreshold(slo)}`;
  return `${open}>\n      <failure message="${x(message)}" type="slo">${x(failureText(slo, message))}</failure>\n    </testcase>`;
}

function failureText(slo: SloResult, message: string): string {
  const scope = slo.endpoint === null ? 'all endpoints' : `endpoint ${slo.endpoint}`;
  const why = slo.actual === null ? ' (no requests were measured for it)' : '';
  return `SLO "${slo.expr}" failed for ${scope}: ${message}${why}${slo.isDefault ? ' (default SLO)' : ''}`;
}
