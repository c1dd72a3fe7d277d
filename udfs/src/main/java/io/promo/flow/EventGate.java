package io.promo.flow;

import io.promo.json.Json;
import io.promo.model.DeadLetter;
import io.promo.model.Event;
import io.promo.model.Reasons;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets valid, timely events through and turns everything else into dead letters: unreadable
 * records, events too far in the future, and events behind their own partition's event time
 * (LATE). Runs chained to the source, with the raw payload still at hand. LATE is judged per
 * partition, by the very clock the watermarks of that partition come from ({@link
 * PartitionClock}, shared through {@link PartitionClocks}): a partition whose backlog is read
 * after another one went quiet is not late for that, and neither is a backlog read after the
 * source stalled (a quiet partition follows the wall clock only once found at its end).
 * Downstream, event time may already be ahead of such an event; the evaluator still judges it.
 *
 * <p>Made by {@link EventWatermarks#gate()}; must run chained to that source (same task thread).
 * Closing it closes the task's {@link PartitionEnd.Lookup}.
 */
public class EventGate extends ProcessFunction<EventRecord, Event> {
  private static final long serialVersionUID = 1L;

  private final PartitionClocks.Spec spec;
  private transient PartitionClocks partitions;

  EventGate(PartitionClocks.Spec spec) {
    this.spec = spec;
  }

  private transient Counter eventsIn;
  private transient Counter deadLetters;
  private transient Counter late;

  @Override
  public void open(OpenContext ctx) {
    partitions = PartitionClocks.of(spec);
    eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    late = getRuntimeContext().getMetricGroup().counter("lateEvents");
  }

  @Override
  public void processElement(EventRecord r, Context ctx, Collector<Event> out) {
    eventsIn.inc();
    String reason = r.error();
    PartitionClock partition = clockOf(r);
    partition.onRecord(r.offset());
    if (reason == null) {
      long now = spec.clock().getAsLong();
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

  private transient String lastTopic;
  private transient int lastPartition;
  private transient PartitionClock last;

  /** The record's partition clock; the last one is kept at hand (records come in runs per partition). */
  private PartitionClock clockOf(EventRecord r) {
    if (last == null || r.partition() != lastPartition || !java.util.Objects.equals(r.topic(), lastTopic)) {
      last = partitions.get(r.topic(), r.partition());
      lastTopic = r.topic();
      lastPartition = r.partition();
    }
    return last;
  }

  @Override
  public void close() throws Exception {
    if (partitions != null) {
      partitions.close();
      partitions = null;
    }
    super.close();
  }
}
