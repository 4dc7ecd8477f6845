/**
 * Prints one closing line, `Tests: N passed, N failed[, N skipped]`, after Vitest's own report, so
 * that CI can read the count whatever reporter it knows.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    const errors = modules.some((m) => m.state() === 'failed' && [...m.children.allTests()].length === 0) ? 1 : 0;
    process.stdout.write(`\nTests: ${passed} passed, ${failed + errors} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
