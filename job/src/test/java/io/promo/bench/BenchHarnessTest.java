package io.promo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark harness working (./scripts/bench runs the same code at full size): one
 * tiny pair, one short latency run and the state runs, on a one-slot MiniCluster. Checks only
 * that the job under test did its work (grants, no dead letters, a state size), not speed.
 */
class BenchHarnessTest {
  @TempDir Path dir;

  @Test
  void aTinyRunOfEverySectionWorks() throws Exception {
    Path out = dir.resolve("bench.md");
    Bench.Options o = Bench.Options.parse(new String[] {
        "--pairs", "1", "--warmup-runs", "0", "--events-per-run", "20000", "--max-seconds", "20", "--warmup-seconds", "0",
        "--latency-seconds", "3", "--latency-variants", "bound=PT0.05S", "--latency-load", "0.1",
        "--state-users", "500", "--state-mix-events", "2000", "--out", out.toString()});
    Bench.Totals t = Bench.run(o);

    assertThat(t.jRuns()).isEqualTo(1);
    assertThat(t.grants()).isPositive();
    assertThat(t.deadLetters()).isZero();
    assertThat(t.medianRatio()).isPositive();
    assertThat(t.bytesPerWindow()).isPositive();
    String report = Files.readString(out);
    assertThat(report).contains("## Throughput", "## Latency", "## State", "| bound=PT0.05S |");
  }
}
