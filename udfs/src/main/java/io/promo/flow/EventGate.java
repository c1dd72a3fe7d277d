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
 * records, events too far in the future, and events behind the watermark (LATE). Runs chained
 * to the source, so LATE is judged against the event time of the event's own source subtask, and
 * the raw payload is still at hand. (Downstream, another quiet subtask may have moved event time
 * on while this event was in flight; the evaluator still judges such an event.)
 */
public class EventGate extends ProcessFunction<EventRecord, Event> {
  private static final long serialVersionUID = 1L;

  private transient Counter eventsIn;
  private transient Counter deadLetters;
  private transient Counter late;

  @Override
  public void open(OpenContext ctx) {
    eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    late = getRuntimeContext().getMetricGroup().counter("lateEvents");
  }

  @Override
  public void processElement(EventRecord r, Context ctx, Collector<Event> out) {
    eventsIn.inc();
    String reason = r.error();
    if (reason == null && r.event().ts() <= ctx.timerService().currentWatermark()) {
      reason = Reasons.LATE;
      late.inc();
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
