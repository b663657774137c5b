// Closes a Jest run with (1) every skipped test and its name, which says why it was skipped (e.g.
// "skipped: KAFKA_BROKERS is not set ..."), so a skip is never silent, and (2) one plain line
// "jest: N passed, N failed, N skipped" that CI reads to know how many tests ran.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.testResults.flatMap((file) =>
      file.testResults
        .filter((t) => t.status === 'pending' || t.status === 'skipped')
        .map((t) => `${file.testFilePath.replace(`${process.cwd()}/`, '')}: ${t.title}`),
    );
    if (skipped.length > 0)
      process.stdout.write(
        `\nSkipped tests (${skipped.length}):\n${skipped.map((s) => `  - ${s}`).join('\n')}\n`,
      );
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(
      `\njest: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
