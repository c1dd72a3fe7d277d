package io.promo.flow;

import static io.promo.testing.Fixtures.MIN;
import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Harnesses.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.DeadLetter;
import io.promo.model.Event;
import io.promo.model.Reasons;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The events path up to the evaluator: decoding at the source, then the gate. */
class EventGateTest {
  private static final String TOPIC = "promo.events";
  private static final long NOW = T0;
  private static final java.time.Duration BOUND = java.time.Duration.ofSeconds(2);
  private static final java.time.Duration QUIET = java.time.Duration.ofSeconds(2);
  private static final java.time.Duration IDLE = java.time.Duration.ofSeconds(10);
  /** The gate's wall clock. */
  private static volatile long now = NOW;

  private final EventDecoder decoder = new EventDecoder(5 * MIN);
  private final FakeEnd end = new FakeEnd();
  private OneInputStreamOperatorTestHarness<EventRecord, Event> h;
  private EventWatermarks source;
  /** The source's watermark generators (one per partition), sharing the partition clocks with the gate as in the job. */
  private final Map<Integer, WatermarkGenerator<EventRecord>> generators = new HashMap<>();
  private boolean closed;
  private long offset;

  @BeforeEach
  void open() throws Exception {
    now = NOW;
    source = new EventWatermarks(BOUND, QUIET, IDLE, () -> now, end);
    h = ProcessFunctionTestHarnesses.forProcessFunction(source.gate());
  }

  /** A periodic emit of the source at the current wall clock (the watermarks themselves are not checked here). */
  private void tick() {
    generators.values().forEach(g -> g.onPeriodicEmit(new WatermarkOutput() {
      @Override
      public void emitWatermark(Watermark w) {}

      @Override
      public void markIdle() {}

      @Override
      public void markActive() {}
    }));
  }

  @AfterEach
  void close() throws Exception {
    if (!closed) {
      h.close();
    }
  }

  private void read(String key, byte[] value) throws Exception {
    read(3, key, value);
  }

  private void read(int partition, String key, byte[] value) throws Exception {
    EventRecord r = decoder.decode(TOPIC, partition, offset++, NOW - 1, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value, NOW);
    long ts = r.event() != null ? r.event().ts() : r.timestamp();
    // As the source does it: the record goes down the chain first, then to the watermark generator.
    h.processElement(r, ts);
    generators.computeIfAbsent(partition, p -> source.createWatermarkGenerator(null)).onEvent(r, ts, null);
  }

  private void read(String key, String value) throws Exception {
    read(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String event(String id, long ts) {
    return "{\"eventId\": \"" + id + "\", \"userId\": \"u1\", \"name\": \"buy\", \"ts\": " + ts + "}";
  }

  @Test
  void validTimelyEventsPassThrough() throws Exception {
    read("u1", event("e1", NOW - MIN));
    read("u1", event("e2", NOW + 5 * MIN)); // exactly at the future bound
    assertThat(drain(h)).containsExactly(
        new Event("e1", "u1", "buy", NOW - MIN, Map.of(), Map.of()),
        new Event("e2", "u1", "buy", NOW + 5 * MIN, Map.of(), Map.of()));
    assertThat(drain(h, Tags.DEAD_LETTERS)).isEmpty();
  }

  @Test
  void eventsBeyondTheBoundBehindTheirPartitionAreLate() throws Exception {
    now = NOW;
    read("u1", event("e0", NOW));
    read("u1", event("e1", NOW - 2001)); // more than the bound behind e0
    read("u1", event("e2", NOW - 2000)); // exactly the bound behind: in time
    // Another partition has its own event time: its older backlog is not late.
    read(4, "u2", event("f1", NOW - MIN).getBytes(StandardCharsets.UTF_8));
    assertThat(drain(h)).extracting(Event::eventId).containsExactly("e0", "e2", "f1");
    assertThat(drain(h, Tags.DEAD_LETTERS)).containsExactly(
        new DeadLetter(TOPIC, 3, 1, "u1", Reasons.LATE, event("e1", NOW - 2001)));
  }

  @Test
  void aQuietPartitionsEventTimeFollowsTheWallClock() throws Exception {
    now = NOW;
    read("u1", event("e0", NOW - MIN));
    now = NOW + 2000; // quiet for the quiet period and at its end: event time is now the wall clock less the bound
    tick();
    read("u1", event("e1", NOW - 1));
    read("u1", event("e2", NOW + 1));
    assertThat(drain(h)).extracting(Event::eventId).containsExactly("e0", "e2");
    assertThat(drain(h, Tags.DEAD_LETTERS)).extracting(DeadLetter::reason).containsExactly(Reasons.LATE);
    assertThat(end.offsetsAsked()).containsExactly(1L);
  }

  @Test
  void aBacklogReadAfterTheSourceStalledIsNotLate() throws Exception {
    end.answer = FakeEnd.Answer.BEHIND;
    read("u1", event("e0", NOW - 60 * MIN)); // a replay of an hour-old history
    for (now = NOW + 100; now <= NOW + 7000; now += 100) { // the source stalls with a backlog; periodic emits go on
      tick();
    }
    read("u1", event("e1", NOW - 60 * MIN + 1));
    now += 7000; // a stall with no periodic emit at all (a long GC): nobody asked, nothing follows the wall clock
    read("u1", event("e2", NOW - 60 * MIN + 2));
    assertThat(drain(h)).extracting(Event::eventId).containsExactly("e0", "e1", "e2");
    assertThat(drain(h, Tags.DEAD_LETTERS)).isEmpty();
    assertThat(end.offsetsAsked()).as("once per quiet period while stalled").containsExactly(1L, 1L, 1L);
  }

  @Test
  void oncePartitionIsQuietAtItsEndOldEventsAreLate() throws Exception {
    end.answer = FakeEnd.Answer.BEHIND;
    read("u1", event("e0", NOW - 60 * MIN));
    now = NOW + 2000;
    tick();
    end.answer = FakeEnd.Answer.CAUGHT_UP;
    now = NOW + 4000;
    tick();
    read("u1", event("e1", NOW - 60 * MIN + 1)); // behind the wall clock less the bound
    read(4, "u2", event("f1", NOW - 60 * MIN).getBytes(StandardCharsets.UTF_8)); // another partition: not late
    assertThat(drain(h)).extracting(Event::eventId).containsExactly("e0", "f1");
    assertThat(drain(h, Tags.DEAD_LETTERS)).extracting(DeadLetter::reason).containsExactly(Reasons.LATE);
  }

  @Test
  void whenTheEndCannotBeLookedUpAQuietPartitionFollowsTheWallClock() throws Exception {
    end.answer = FakeEnd.Answer.FAIL;
    read("u1", event("e0", NOW - 60 * MIN));
    now = NOW + 2000;
    tick();
    read("u1", event("e1", NOW - 60 * MIN + 1));
    assertThat(drain(h, Tags.DEAD_LETTERS)).extracting(DeadLetter::reason).containsExactly(Reasons.LATE);
  }

  @Test
  void theLookupIsOpenedOnceWhenFirstNeededAndClosedWithTheGate() throws Exception {
    read("u1", event("e0", NOW - MIN));
    read(4, "u2", event("f0", NOW - MIN).getBytes(StandardCharsets.UTF_8));
    assertThat(end.opened).as("nothing asked while events flow").isZero();
    now = NOW + 2000;
    tick();
    assertThat(end.opened).isEqualTo(1);
    h.close();
    closed = true;
    assertThat(end.closed).isEqualTo(1);
  }

  @Test
  void eventsTooFarInTheFutureAreDeadLettered() throws Exception {
    read("u1", event("e1", NOW + 5 * MIN + 1));
    assertThat(drain(h)).isEmpty();
    assertThat(drain(h, Tags.DEAD_LETTERS)).containsExactly(
        new DeadLetter(TOPIC, 3, 0, "u1", Reasons.FUTURE, event("e1", NOW + 5 * MIN + 1)));
  }

  @Test
  void unreadableRecordsCarryTheParseErrorAndThePayloadAsReceived() throws Exception {
    read("u1", "{\"eventId\": \"e1\"}");
    read(null, "not json");
    byte[] notUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '(', '"', '}'};
    read(null, notUtf8);
    h.processElement(decoder.decode(TOPIC, 4, 99, NOW, new byte[] {(byte) 0xc3}, null, NOW), NOW);

    assertThat(drain(h)).isEmpty();
    assertThat(drain(h, Tags.DEAD_LETTERS)).containsExactly(
        new DeadLetter(TOPIC, 3, 0, "u1", "userId is missing; name is missing; ts is missing", "{\"eventId\": \"e1\"}"),
        new DeadLetter(TOPIC, 3, 1, null,
            "malformed JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token"
                + " 'null', 'true' or 'false')",
            "not json"),
        new DeadLetter(TOPIC, 3, 2, null, "malformed JSON: Invalid UTF-8 middle byte 0x28", "eyJhIjoiwygifQ=="),
        new DeadLetter(TOPIC, 4, 99, "ww==", "empty record (null value)", null));
  }
}
