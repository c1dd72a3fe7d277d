package io.promo.flow;

import io.promo.json.Json;
import io.promo.model.DeadLetter;
import io.promo.model.Event;
import io.promo.model.Reasons;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets valid, timely events through and turns everything else into dead letters: unreadable
 * records, events too far in the future, and events behind their own partition's event time
 * (LATE). Runs chained to the source, with the raw payload still at hand. LATE is judged per
 * partition, with the same rule as the watermarks ({@link PartitionClock}): a partition whose
 * backlog is read after another one went quiet is not late for that. Downstream, event time may
 * already be ahead of such an event; the evaluator still judges it.
 */
public class EventGate extends ProcessFunction<EventRecord, Event> {
  private static final long serialVersionUID = 1L;

  private final long bound;
  private final long quietAfter;
  private final EventWatermarks.SerializableClock clock;
  private transient Map<Integer, PartitionClock> partitions;

  public EventGate(Duration outOfOrderness, Duration quietAfter, EventWatermarks.SerializableClock clock) {
    this.bound = outOfOrderness.toMillis();
    this.quietAfter = quietAfter.toMillis();
    this.clock = clock;
  }

  private transient Counter eventsIn;
  private transient Counter deadLetters;
  private transient Counter late;

  @Override
  public void open(OpenContext ctx) {
    partitions = new HashMap<>();
    eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    late = getRuntimeContext().getMetricGroup().counter("lateEvents");
  }

  @Override
  public void processElement(EventRecord r, Context ctx, Collector<Event> out) {
    eventsIn.inc();
    String reason = r.error();
    if (reason == null) {
      PartitionClock partition = partitions.computeIfAbsent(r.partition(), p -> new PartitionClock(bound, quietAfter));
      long now = clock.getAsLong();
      if (r.event().ts() <= partition.watermark(now)) {
        reason = Reasons.LATE;
        late.inc();
      }
      partition.onEvent(r.event().ts(), now);
    }
    if (reason == null) {
      out.collect(r.event());
      return;
    }
    deadLetters.inc();
    ctx.output(
        Tags.DEAD_LETTERS,
        new DeadLetter(r.topic(), r.partition(), r.offset(), Json.payloadText(r.key()), reason, Json.payloadText(r.value())));
  }
}
