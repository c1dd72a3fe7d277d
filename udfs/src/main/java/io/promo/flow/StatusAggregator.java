package io.promo.flow;

import io.promo.model.CampaignStats;
import io.promo.model.CampaignStatus;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins a campaign's lifecycle (from the registry) with its counters (from its ledger) into the
 * one record of {@code promo.campaign-status}; writes only when something changed.
 */
public class StatusAggregator extends KeyedCoProcessFunction<String, CampaignStatus, CampaignStats, CampaignStatus> {
  private static final long serialVersionUID = 1L;

  private final EventWatermarks.SerializableClock clock;
  private transient ValueState<CampaignStatus> status;
  private transient ValueState<CampaignStats> stats;

  public StatusAggregator(EventWatermarks.SerializableClock clock) {
    this.clock = clock;
  }

  @Override
  public void open(OpenContext ctx) {
    status = getRuntimeContext().getState(new ValueStateDescriptor<>("status", TypeInformation.of(CampaignStatus.class)));
    stats = getRuntimeContext().getState(new ValueStateDescriptor<>("stats", TypeInformation.of(CampaignStats.class)));
  }

  @Override
  public void processElement1(CampaignStatus s, Context ctx, Collector<CampaignStatus> out) throws Exception {
    status.update(s);
    emit(s, stats.value(), s.updatedAt(), out);
  }

  @Override
  public void processElement2(CampaignStats s, Context ctx, Collector<CampaignStatus> out) throws Exception {
    if (s.equals(stats.value())) {
      return;
    }
    stats.update(s);
    CampaignStatus current = status.value();
    if (current != null) {
      emit(current, s, clock.getAsLong(), out);
    }
  }

  private static void emit(CampaignStatus s, CampaignStats st, long at, Collector<CampaignStatus> out) {
    CampaignStats x = st == null ? CampaignStats.empty(s.id()) : st;
    CampaignStatus.Inventory inv = x.uploaded() < 0 ? null : new CampaignStatus.Inventory(x.uploaded(), x.issued(), x.remaining());
    out.collect(
        new CampaignStatus(s.id(), s.name(), s.createdBy(), s.labels(), s.kind(), s.rewardType(), s.status(), s.version(),
            s.schedule(), Math.max(at, s.updatedAt()),
            new CampaignStatus.Stats(x.qualified(), x.granted(), x.points(), x.rejected() == null ? Map.of() : x.rejected(), inv),
            s.limits(), s.lastCommandId()));
  }
}
