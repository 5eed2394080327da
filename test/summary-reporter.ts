// Prints one plain closing line, "tests: N passed, N failed", that any CI can read, after vitest's own.
import type { Reporter, TestCase } from 'vitest/node';

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

  onTestRunEnd(): void {
    process.stdout.write(`\ntests: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped\n`);
  }
}
