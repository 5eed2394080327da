// Prints one plain closing line, "tests: N passed, N failed", that any CI can read, after vitest's own.
// A suite whose setup threw (its tests then count as skipped) and an error outside any test are failures
// too, named on the same line: "0 failed" must never close a red run.
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  private skipped = 0;

  onTestCaseResult(testCase: TestCase): void {
    const state = testCase.result().state;
    if (state === 'passed') this.passed++;
    else if (state === 'failed') this.failed++;
    else this.skipped++;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    let broken = unhandled.length;
    for (const m of modules) {
      if (m.errors().length > 0) broken++;
      for (const suite of m.children.allSuites()) if (suite.errors().length > 0) broken++;
    }
    const extra = broken > 0 ? `, ${broken} suite or file error${broken === 1 ? '' : 's'} outside any test` : '';
    process.stdout.write(`\ntests: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped${extra}\n`);
  }
}
