// Prints the plain closing line "tests: N passed, N failed" that CI tooling reads after any test runner.
// Written at process exit so that it comes after Jest's own summary.
export default class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed`
    process.once('exit', () =>
      process.stderr.write(`${skipped > 0 ? `${line}, ${skipped} skipped` : line}\n`)
    )
  }
}
