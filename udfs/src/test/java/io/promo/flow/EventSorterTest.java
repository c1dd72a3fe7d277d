package io.promo.flow;

import static io.promo.testing.Fixtures.MIN;
import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Event;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class EventSorterTest {
  private static OneInputStreamOperatorTestHarness<Event, Event> harness() throws Exception {
    return new OneInputStreamOperatorTestHarness<>(new EventSorter());
  }

  private static void send(OneInputStreamOperatorTestHarness<Event, Event> h, Event... events) throws Exception {
    for (Event e : events) {
      h.processElement(e, e.ts());
    }
  }

  /** Event ids emitted since the last call, with each watermark as "wm:<t>", in output order. */
  private static List<String> drainAll(AbstractStreamOperatorTestHarness<Event> h) {
    List<String> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        Event e = (Event) r.getValue();
        assertThat(r.getTimestamp()).as("the record carries its event time").isEqualTo(e.ts());
        out.add(e.eventId());
      } else if (o instanceof Watermark w) {
        out.add("wm:" + (w.getTimestamp() - T0) / MIN);
      }
    }
    h.getOutput().clear();
    return out;
  }

  @Test
  void eventsLeaveInTimeThenIdOrderJustBeforeTheWatermarkThatPassesThem() throws Exception {
    try (var h = harness()) {
      h.open();
      send(h, event("e3", "u1", "buy", T0 + 3 * MIN), event("e1", "u2", "buy", T0 + MIN),
          event("b", "u1", "buy", T0 + 2 * MIN), event("a", "u3", "buy", T0 + 2 * MIN));
      assertThat(drainAll(h)).as("nothing before a watermark").isEmpty();

      h.processWatermark(T0 + 2 * MIN);
      assertThat(drainAll(h)).containsExactly("e1", "a", "b", "wm:2");
      h.processWatermark(T0 + 10 * MIN);
      assertThat(drainAll(h)).containsExactly("e3", "wm:10");
    }
  }

  @Test
  void anEventBehindTheWatermarkAlreadyEmittedPassesAtOnce() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processWatermark(T0 + 5 * MIN);
      drainAll(h);
      send(h, event("late-ish", "u1", "buy", T0 + 5 * MIN), event("next", "u1", "buy", T0 + 6 * MIN));
      assertThat(drainAll(h)).containsExactly("late-ish");
    }
  }

  @Test
  void waitingEventsSurviveARestoreAndStillWaitForTheWatermark() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      send(h, event("e2", "u1", "buy", T0 + 2 * MIN), event("e1", "u1", "buy", T0 + MIN));
      h.processWatermark(T0);
      drainAll(h);
      snapshot = h.snapshot(1, 1);
    }
    try (var h = harness()) {
      h.initializeState(snapshot);
      h.open();
      send(h, event("e0", "u1", "buy", T0 + MIN / 2));
      assertThat(drainAll(h)).isEmpty();
      h.processWatermark(T0 + 3 * MIN);
      assertThat(drainAll(h)).containsExactly("e0", "e1", "e2", "wm:3");
      // Nothing left to store: the next snapshot is empty.
      OperatorSubtaskState empty = h.snapshot(2, 2);
      try (var h2 = harness()) {
        h2.initializeState(empty);
        h2.open();
        h2.processWatermark(Long.MAX_VALUE);
        assertThat(drainAll(h2)).hasSize(1); // the watermark only
      }
    }
  }

  @Test
  void restoringTheSubtasksOfAnotherParallelismKeepsEachOldSubtasksEventsTogether() throws Exception {
    OperatorSubtaskState a;
    OperatorSubtaskState b;
    try (var h = harness()) {
      h.open();
      send(h, event("a2", "u1", "buy", T0 + 2 * MIN), event("a1", "u1", "buy", T0 + MIN));
      a = h.snapshot(1, 1);
    }
    try (var h = harness()) {
      h.open();
      send(h, event("b1", "u2", "buy", T0 + MIN));
      b = h.snapshot(1, 1);
    }
    OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repackageState(a, b);
    OperatorSubtaskState one = AbstractStreamOperatorTestHarness.repartitionOperatorState(merged, 128, 2, 1, 0);
    assertThat(flushed(one)).as("scaled in: all in time order").containsExactly("a1", "b1", "a2");

    List<List<String>> perSubtask = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      perSubtask.add(flushed(AbstractStreamOperatorTestHarness.repartitionOperatorState(merged, 128, 2, 3, i)));
    }
    assertThat(perSubtask).as("scaled out: each old subtask's events stay together")
        .containsExactlyInAnyOrder(List.of("a1", "a2"), List.of("b1"), List.of());
  }

  private static List<String> flushed(OperatorSubtaskState state) throws Exception {
    try (var h = harness()) {
      h.initializeState(state);
      h.open();
      h.processWatermark(Long.MAX_VALUE);
      List<String> ids = drainAll(h);
      ids.remove(ids.size() - 1); // the watermark
      return ids;
    }
  }
}
