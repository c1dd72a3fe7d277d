package io.promo.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.promo.json.CommandCodec;
import io.promo.model.Command;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ControlGateTest {
  private static final long OPENED = 1_000;
  private static final long MAX_WAIT = 10_000;
  private static final AtomicInteger LOOKUPS = new AtomicInteger();

  private static OneInputStreamOperatorTestHarness<Command, Command> gate(ControlLogEnd end) throws Exception {
    OneInputStreamOperatorTestHarness<Command, Command> h = new OneInputStreamOperatorTestHarness<>(
        new ControlGate(() -> {
          LOOKUPS.incrementAndGet();
          return end.lastOffsets();
        }, MAX_WAIT));
    h.setProcessingTime(OPENED);
    return h;
  }

  private static Command at(int partition, long offset) {
    String json = "{\"type\": \"campaign.stop\", \"commandId\": \"c-" + partition + "-" + offset + "\", \"campaignId\": \"x\"}";
    return CommandCodec.parse("promo.control", partition, offset, 0, json.getBytes(StandardCharsets.UTF_8)).command();
  }

  /** The operator's output: "p/o" for each command, "IDLE"/"ACTIVE" for watermark statuses. */
  private static List<String> output(OneInputStreamOperatorTestHarness<Command, Command> h) {
    List<String> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r && r.getValue() instanceof Command c) {
        out.add(c.partition() + "/" + c.offset());
      } else if (o instanceof WatermarkStatus s) {
        out.add(s.isIdle() ? "IDLE" : "ACTIVE");
      } else {
        out.add(o.toString());
      }
    }
    h.getOutput().clear();
    return out;
  }

  @Test
  void holdsEventTimeUntilEveryPartitionIsReadToItsEndThenGoesIdleForGood() throws Exception {
    try (OneInputStreamOperatorTestHarness<Command, Command> h = gate(() -> Map.of(0, 2L, 1, 0L, 2, -1L))) {
      h.open();
      assertThat(output(h)).isEmpty();
      assertThat(h.getProcessingTimeService().getNumActiveTimers()).as("re-checks the timeout").isEqualTo(1);

      h.processElement(at(0, 0), 0);
      h.processElement(at(1, 0), 0);
      h.processElement(at(0, 1), 0);
      h.processWatermark(5); // the control path has no event time of its own
      h.processWatermarkStatus(WatermarkStatus.ACTIVE);
      assertThat(output(h)).containsExactly("0/0", "1/0", "0/1");

      h.processElement(at(0, 2), 0);
      h.processElement(at(0, 3), 0);
      assertThat(output(h)).containsExactly("0/2", "IDLE", "0/3");

      h.setProcessingTime(OPENED + 10 * MAX_WAIT);
      assertThat(output(h)).isEmpty();
      assertThat(h.getProcessingTimeService().getNumActiveTimers()).isZero();
    }
  }

  @Test
  void anEmptyControlLogLetsEventsThroughAtOnce() throws Exception {
    try (OneInputStreamOperatorTestHarness<Command, Command> h = gate(() -> Map.of(0, -1L, 1, -1L))) {
      h.open();
      assertThat(output(h)).containsExactly("IDLE");
      assertThat(h.getProcessingTimeService().getNumActiveTimers()).isZero();
    }
  }

  @Test
  void caughtUpSurvivesASnapshotAndRestoreWithoutLookingTheEndUpAgain() throws Exception {
    OperatorSubtaskState snapshot;
    try (OneInputStreamOperatorTestHarness<Command, Command> h = gate(() -> Map.of(0, 0L))) {
      h.open();
      h.processElement(at(0, 0), 0);
      assertThat(output(h)).containsExactly("0/0", "IDLE");
      snapshot = h.snapshot(1, OPENED);
    }
    LOOKUPS.set(0);
    try (OneInputStreamOperatorTestHarness<Command, Command> h = gate(() -> Map.of(0, 50L))) {
      h.initializeState(snapshot);
      h.open();
      assertThat(output(h)).containsExactly("IDLE");
      assertThat(LOOKUPS.get()).isZero();
      h.processElement(at(0, 1), 0);
      assertThat(output(h)).containsExactly("0/1");
    }
  }

  @Test
  void notYetCaughtUpAtTheSnapshotWaitsAgainAfterRestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (OneInputStreamOperatorTestHarness<Command, Command> h = gate(() -> Map.of(0, 5L))) {
      h.open();
      h.processElement(at(0, 0), 0);
      snapshot = h.snapshot(1, OPENED);
    }
    try (OneInputStreamOperatorTestHarness<Command, Command> h = gate(() -> Map.of(0, 5L))) {
      h.initializeState(snapshot);
      h.open();
      assertThat(output(h)).isEmpty();
      h.processElement(at(0, 5), 0);
      assertThat(output(h)).containsExactly("0/5", "IDLE");
    }
  }

  @Test
  void whenTheEndCannotBeLookedUpEventsWaitAtMostMaxWait() throws Exception {
    try (OneInputStreamOperatorTestHarness<Command, Command> h = gate(() -> {
      throw new IllegalStateException("no broker");
    })) {
      h.open();
      h.processElement(at(0, 0), 0);
      assertThat(output(h)).containsExactly("0/0");
      h.setProcessingTime(OPENED + MAX_WAIT - 1);
      assertThat(output(h)).isEmpty();
      h.setProcessingTime(OPENED + MAX_WAIT + 200);
      assertThat(output(h)).containsExactly("IDLE");
      h.setProcessingTime(OPENED + 2 * MAX_WAIT);
      assertThat(h.getProcessingTimeService().getNumActiveTimers()).isZero();
    }
  }

  @Test
  void aControlLogNeverReadToItsEndAlsoTimesOut() throws Exception {
    try (OneInputStreamOperatorTestHarness<Command, Command> h = gate(() -> Map.of(0, 1_000L))) {
      h.open();
      h.setProcessingTime(OPENED + MAX_WAIT - 1);
      assertThat(output(h)).isEmpty();
      h.setProcessingTime(OPENED + MAX_WAIT + 200);
      assertThat(output(h)).containsExactly("IDLE");
      h.processElement(at(0, 7), 0);
      assertThat(output(h)).containsExactly("0/7");
    }
  }
}
