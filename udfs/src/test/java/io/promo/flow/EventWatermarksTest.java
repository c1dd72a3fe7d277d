package io.promo.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventWatermarksTest {
  private static final long BOUND = 5_000;
  private static final long QUIET = 10_000;
  private static final long IDLE = 30_000;
  private static final long WALL0 = 1_800_000_000_000L;

  private static final AtomicLong WALL = new AtomicLong();

  private final EventWatermarks strategy = new EventWatermarks(
      Duration.ofMillis(BOUND), Duration.ofMillis(QUIET), Duration.ofMillis(IDLE), WALL::get);
  private final Recorder out = new Recorder();
  private WatermarkGenerator<EventRecord> generator;

  /** What the generator told Flink: watermarks as numbers, idleness as "idle". */
  static final class Recorder implements WatermarkOutput {
    final List<Object> marks = new ArrayList<>();

    @Override
    public void emitWatermark(Watermark w) {
      marks.add(w.getTimestamp());
    }

    @Override
    public void markIdle() {
      marks.add("idle");
    }

    @Override
    public void markActive() {
      marks.add("active");
    }

    List<Object> take() {
      List<Object> m = List.copyOf(marks);
      marks.clear();
      return m;
    }
  }

  @BeforeEach
  void create() {
    WALL.set(WALL0);
    generator = strategy.createWatermarkGenerator(null);
  }

  private static EventRecord record(long ts) {
    return new EventRecord(new Event("e" + ts, "u", "n", ts, Map.of(), Map.of()), null, "t", 0, 0, null, null, 7L);
  }

  private static EventRecord unreadable() {
    return new EventRecord(null, "bad", "t", 0, 0, null, new byte[0], 7L);
  }

  private void onEvent(long ts) {
    generator.onEvent(record(ts), ts, out);
  }

  private List<Object> periodicAt(long wall) {
    WALL.set(wall);
    generator.onPeriodicEmit(out);
    return out.take();
  }

  @Test
  void beforeTheFirstEventEventTimeStandsStillAndTheSplitGoesIdle() {
    assertThat(periodicAt(WALL0)).isEmpty();
    assertThat(periodicAt(WALL0 + IDLE - 1)).isEmpty();
    assertThat(periodicAt(WALL0 + IDLE)).containsExactly("idle");
    generator.onEvent(unreadable(), 7L, out); // bad records do not count as activity or time
    assertThat(periodicAt(WALL0 + 10 * IDLE)).containsExactly("idle");
  }

  @Test
  void boundedOutOfOrdernessWhileEventsFlow() {
    long t = 1_000_000;
    onEvent(t);
    onEvent(t - 3_000);
    assertThat(periodicAt(WALL0 + 1)).containsExactly(t - BOUND - 1);
    assertThat(periodicAt(WALL0 + 2)).as("nothing new").isEmpty();
    onEvent(t + 20_000);
    onEvent(t + 1_000); // older than the max: the watermark does not go back
    assertThat(periodicAt(WALL0 + 3)).containsExactly(t + 20_000 - BOUND - 1);
    assertThat(out.take()).isEmpty();
  }

  @Test
  void aQuietInputCatchesUpWithTheWallClockLessTheBound() {
    long t = WALL0 - 60_000; // a minute behind the wall clock
    WALL.set(WALL0);
    onEvent(t);
    assertThat(periodicAt(WALL0 + QUIET - 1)).containsExactly(t - BOUND - 1);
    assertThat(periodicAt(WALL0 + QUIET)).containsExactly(WALL0 + QUIET - BOUND - 1);
    assertThat(periodicAt(WALL0 + QUIET + 500)).containsExactly(WALL0 + QUIET + 500 - BOUND - 1);

    // New traffic: back to the events' own time, never backwards.
    WALL.set(WALL0 + QUIET + 1_000);
    onEvent(WALL0 + QUIET); // its own watermark would be behind the one already emitted
    assertThat(periodicAt(WALL0 + QUIET + 1_001)).isEmpty();
    onEvent(WALL0 + 2 * QUIET);
    assertThat(periodicAt(WALL0 + QUIET + 1_002)).containsExactly(WALL0 + 2 * QUIET - BOUND - 1);
  }

  /** A generator over a partition end that the test controls. */
  private WatermarkGenerator<EventRecord> withEnd(FakeEnd end) {
    return new EventWatermarks(Duration.ofMillis(BOUND), Duration.ofMillis(QUIET), Duration.ofMillis(IDLE), WALL::get, end)
        .createWatermarkGenerator(null);
  }

  private static EventRecord record(long offset, long ts) {
    return new EventRecord(new Event("e" + ts, "u", "n", ts, Map.of(), Map.of()), null, "t", 0, offset, null, null, 7L);
  }

  @Test
  void aQuietPartitionWithABacklogKeepsItsEventsTime() {
    FakeEnd end = new FakeEnd();
    end.answer = FakeEnd.Answer.BEHIND;
    generator = withEnd(end);
    long t = WALL0 - 3_600_000; // a replay of an hour-old history, stalled after offset 41
    WALL.set(WALL0);
    generator.onEvent(record(41, t), t, out);
    assertThat(periodicAt(WALL0 + QUIET - 1)).containsExactly(t - BOUND - 1);
    assertThat(periodicAt(WALL0 + QUIET)).as("quiet, but behind: no jump").isEmpty();
    assertThat(periodicAt(WALL0 + QUIET + QUIET / 2)).isEmpty();
    assertThat(periodicAt(WALL0 + 2 * QUIET)).isEmpty();
    assertThat(periodicAt(WALL0 + 3 * QUIET + 1)).isEmpty();
    assertThat(end.asked).as("once per quiet period").containsExactly(
        new FakeEnd.Asked("t", 0, 42), new FakeEnd.Asked("t", 0, 42), new FakeEnd.Asked("t", 0, 42));

    // The backlog moves on and ends: now quiet and caught up.
    WALL.set(WALL0 + 3 * QUIET + 2);
    generator.onEvent(record(42, t + 1), t + 1, out);
    end.answer = FakeEnd.Answer.CAUGHT_UP;
    long now = WALL0 + 4 * QUIET + 2;
    assertThat(periodicAt(now)).containsExactly(now - BOUND - 1);
    assertThat(end.asked).last().isEqualTo(new FakeEnd.Asked("t", 0, 43));
  }

  @Test
  void aQuietPartitionAtItsEndFollowsTheWallClock() {
    FakeEnd end = new FakeEnd();
    generator = withEnd(end);
    long t = WALL0 - 60_000;
    generator.onEvent(record(5, t), t, out);
    assertThat(periodicAt(WALL0 + QUIET)).containsExactly(WALL0 + QUIET - BOUND - 1);
    assertThat(periodicAt(WALL0 + 5 * QUIET)).containsExactly(WALL0 + 5 * QUIET - BOUND - 1);
    assertThat(end.asked).as("asked once for the quiet spell").hasSize(1);
  }

  @Test
  void whenTheEndCannotBeLookedUpAQuietPartitionFollowsTheWallClock() {
    FakeEnd end = new FakeEnd();
    end.answer = FakeEnd.Answer.FAIL;
    generator = withEnd(end);
    long t = WALL0 - 60_000;
    generator.onEvent(record(5, t), t, out);
    assertThat(periodicAt(WALL0 + QUIET)).containsExactly(WALL0 + QUIET - BOUND - 1);
  }

  @Test
  void unreadableRecordsDoNotMoveEventTime() {
    onEvent(1_000_000);
    generator.onEvent(unreadable(), 9_000_000, out);
    assertThat(periodicAt(WALL0 + 1)).containsExactly(1_000_000 - BOUND - 1);
  }

  @Test
  void timestampsAreTheEventsOwnOrTheRecordsForUnreadableOnes() {
    TimestampAssigner<EventRecord> assigner = strategy.createTimestampAssigner(null);
    assertThat(assigner.extractTimestamp(record(123), 456)).isEqualTo(123);
    assertThat(assigner.extractTimestamp(unreadable(), 456)).isEqualTo(456);
  }
}
