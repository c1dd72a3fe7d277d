package io.promo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark harness working (./scripts/bench runs the same code at full size): one
 * tiny pair, one short latency run, the state runs and one short visibility run (the job's Kafka
 * I/O against the integration tests' broker), on a one-slot MiniCluster. Checks only that the
 * job under test did its work (grants, no dead letters, a state size, visible grants), not speed.
 */
class BenchHarnessTest {
  @TempDir Path dir;

  @Test
  void aTinyRunOfEverySectionWorks() throws Exception {
    Path out = dir.resolve("bench.md");
    Bench.Options o = Bench.Options.parse(new String[] {
        "--pairs", "1", "--warmup-runs", "0", "--events-per-run", "20000", "--max-seconds", "20", "--warmup-seconds", "0",
        "--latency-seconds", "3", "--latency-variants", "bound=PT0.05S", "--latency-load", "0.1",
        "--state-users", "500", "--state-mix-events", "2000",
        "--visibility-seconds", "2", "--visibility-warmup", "0", "--visibility-rate", "500",
        "--visibility-variants", "bound=PT0.05S,checkpoint=PT1S", "--out", out.toString()});
    Bench.Totals t = Bench.run(o);

    assertThat(t.jRuns()).isEqualTo(1);
    assertThat(t.grants()).isPositive();
    assertThat(t.deadLetters()).isZero();
    assertThat(t.medianRatio()).isPositive();
    assertThat(t.bytesPerWindow()).isPositive();
    assertThat(t.visibilityGrants()).isPositive();
    String report = Files.readString(out);
    assertThat(report).contains("## Throughput", "## Latency", "## State", "| bound=PT0.05S |", "## Visibility",
        "| bound=PT0.05S,checkpoint=PT1S | PT1S | PT0.05S |");
  }
}
