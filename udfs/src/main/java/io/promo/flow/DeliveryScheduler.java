package io.promo.flow;

import io.promo.model.Grant;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Writes each grant when it is due ({@code deliverAt}, in event time), keyed by user. Grants due
 * already pass straight through; later ones wait in state with a timer at their time.
 */
public class DeliveryScheduler extends KeyedProcessFunction<String, Grant, Grant> {
  private static final long serialVersionUID = 1L;

  private final EventWatermarks.SerializableClock clock;
  private transient MapState<String, Grant> waiting;
  private transient Counter delivered;
  private transient Counter deferred;

  public DeliveryScheduler(EventWatermarks.SerializableClock clock) {
    this.clock = clock;
  }

  @Override
  public void open(OpenContext ctx) {
    waiting = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("waiting", Types.STRING, TypeInformation.of(Grant.class)));
    delivered = getRuntimeContext().getMetricGroup().counter("grantsDelivered");
    deferred = getRuntimeContext().getMetricGroup().counter("grantsDeferred");
  }

  @Override
  public void processElement(Grant g, Context ctx, Collector<Grant> out) throws Exception {
    Long now = ctx.timestamp();
    if (g.deliverAt() <= Math.max(now == null ? Long.MIN_VALUE : now, ctx.timerService().currentWatermark())) {
      deliver(g, out);
    } else {
      deferred.inc();
      waiting.put(g.grantId(), g);
      ctx.timerService().registerEventTimeTimer(g.deliverAt());
    }
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<Grant> out) throws Exception {
    for (Iterator<Map.Entry<String, Grant>> it = waiting.iterator(); it.hasNext(); ) {
      Grant g = it.next().getValue();
      if (g.deliverAt() <= time) {
        deliver(g, out);
        it.remove();
      }
    }
    if (waiting.isEmpty()) {
      waiting.clear(); // removing through the iterator leaves an empty map behind on the heap backend
    }
  }

  private void deliver(Grant g, Collector<Grant> out) {
    delivered.inc();
    out.collect(g.issued(clock.getAsLong()));
  }
}
