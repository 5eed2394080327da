// JUnit XML: one testcase per SLO, so CI test views (GitLab artifacts:reports:junit, dorny/test-reporter,
// mikepenz/action-junit-report) show which SLO failed and by how much.
import type { RunResult, SloResult } from '../types.js';
import type { ReportOptions } from './options.js';
import { escapeXml as x } from './escape.js';
import { redactResult } from './redact-result.js';
import { countVerdicts, deferredText, sloActual, sloLabel, sloThreshold, sloVerdict } from './slo-view.js';
import { failureReasons, partialNote } from './run-notes.js';

export function junitReport(raw: RunResult, options: ReportOptions): string {
  const result = redactResult(raw, options.redact);
  const counts = countVerdicts(result.slo);
  // A run that failed outside its SLO rows (stopped early, nothing succeeded) gets a failing testcase of its
  // own, so a CI test view is never all green for it.
  const runCase = runTestcase(result);
  const tests = result.slo.length + (runCase ? 1 : 0);
  const failures = counts.fail + (runCase ? 1 : 0);
  const time = (result.durationMs / 1000).toFixed(3);
  const suiteAttrs = `tests="${tests}" failures="${failures}" errors="0" skipped="${counts.deferred}" time="${time}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bench" ${suiteAttrs}>`,
    `  <testsuite name="${x(`bench: ${result.scenario}`)}" ${suiteAttrs} timestamp="${x(result.startedAt)}">`,
    '    <properties>',
    property('target', result.target),
    property('model', result.model),
    property('requests', String(result.totals.requests)),
    property('sloDefaults', String(result.sloDefaults)),
    ...(result.partial ? [property('partial', partialNote(result.partial))] : []),
    '    </properties>',
    ...(runCase ? [runCase] : []),
    ...result.slo.map((slo) => testcase(result.scenario, slo)),
    '  </testsuite>',
    '</testsuites>',
  ];
  return lines.join('\n') + '\n';
}

function runTestcase(result: RunResult): string | null {
  const reasons = failureReasons(result);
  if (reasons.length === 0) return null;
  const name = result.stopReason === 'interrupted' ? 'run interrupted' : result.stopReason ? 'run stopped early' : 'run';
  const open = `    <testcase classname="${x(`${result.scenario}.run`)}" name="${x(name)}" time="${(result.durationMs / 1000).toFixed(3)}"`;
  const message = reasons.join('; ');
  return `${open}>\n      <failure message="${x(message)}" type="run">${x(message)}</failure>\n    </testcase>`;
}

function property(name: string, value: string): string {
  return `      <property name="${x(name)}" value="${x(value)}"/>`;
}

function testcase(scenario: string, slo: SloResult): string {
  const open = `    <testcase classname="${x(`${scenario}.slo`)}" name="${x(sloLabel(slo))}" time="0"`;
  const verdict = sloVerdict(slo);
  if (verdict === 'pass') return `${open}/>`;
  if (verdict === 'deferred') {
    return `${open}>\n      <skipped message="${x(slo.notJudged ? `${deferredText(slo)}: merged ${sloActual(slo)}` : `deferred to bench merge (this segment: ${sloActual(slo)})`)}"/>\n    </testcase>`;
  }
  const message = `actual ${sloActual(slo)} vs threshold ${sloThreshold(slo)}`;
  return `${open}>\n      <failure message="${x(message)}" type="slo">${x(failureText(slo, message))}</failure>\n    </testcase>`;
}

function failureText(slo: SloResult, message: string): string {
  const scope = slo.endpoint === null ? 'all endpoints' : `endpoint ${slo.endpoint}`;
  const why = slo.actual === null ? ' (no requests were measured for it)' : '';
  return `SLO "${slo.expr}" failed for ${scope}: ${message}${why}${slo.isDefault ? ' (default SLO)' : ''}`;
}
