package io.promo.flow;

import io.promo.lang.Campaign;
import io.promo.lang.Limits;
import io.promo.lang.Reward;
import io.promo.model.Alert;
import io.promo.model.CampaignStats;
import io.promo.model.Grant;
import io.promo.model.GrantReward;
import io.promo.model.Reasons;
import io.promo.model.Rejection;
import io.promo.model.TriggerRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The single writer of a campaign's budget, or of a code series shared by campaigns: settles
 * qualifications in a deterministic order (event time, then campaign, user, trigger), enforces
 * the campaign limits, hands out each code at most once, and counts everything. Its state rolls
 * back with the uncommitted grants on failure, so limits hold under exactly-once.
 */
public class Ledger extends KeyedBroadcastProcessFunction<String, LedgerInput, CampaignUpdate, Grant> {
  private static final long serialVersionUID = 1L;

  private static final Comparator<Qualification> ORDER =
      Comparator.comparingLong(Qualification::qualifiedAt)
          .thenComparing(Qualification::campaignId)
          .thenComparing(Qualification::userId)
          .thenComparing(q -> q.triggerEventId() == null ? "" : q.triggerEventId())
          .thenComparing(q -> q.runId() == null ? "" : q.runId());

  private static final ValueStateDescriptor<Inventory> INVENTORY =
      new ValueStateDescriptor<>("inventory", TypeInformation.of(Inventory.class));

  /**
   * No longer written: the stats timer is registered at the next multiple of the interval
   * without remembering it (re-registering a timestamp is a no-op). Kept registered only so
   * that values restored from an older savepoint are cleared when their timer fires (every such
   * key has one); it can be dropped once no savepoint of a version before this one is restored.
   */
  @Deprecated
  private static final ValueStateDescriptor<Long> LEGACY_STATS_TIMER =
      new ValueStateDescriptor<>("stats-timer", Types.LONG);

  private final long statsInterval;

  private transient MapState<Long, List<Qualification>> pending;
  private transient MapState<String, LedgerCounters> counters;
  private transient ValueState<Inventory> inventory;
  private transient MapState<Long, StockCode> codes;
  private transient ValueState<Long> legacyStatsTimer;
  private transient CampaignCatalog catalog;
  private transient Map<String, CampaignMetrics> metrics;

  public Ledger(long statsIntervalMillis) {
    this.statsInterval = statsIntervalMillis;
  }

  @Override
  public void open(OpenContext ctx) {
    TypeInformation<Qualification> q = TypeInformation.of(Qualification.class);
    pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG, new ListTypeInfo<>(q)));
    counters = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("counters", Types.STRING, TypeInformation.of(LedgerCounters.class)));
    inventory = getRuntimeContext().getState(INVENTORY);
    codes = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("codes", Types.LONG, TypeInformation.of(StockCode.class)));
    legacyStatsTimer = getRuntimeContext().getState(LEGACY_STATS_TIMER);
    catalog = new CampaignCatalog();
    metrics = new HashMap<>();
  }

  @Override
  public void processBroadcastElement(CampaignUpdate u, Context ctx, Collector<Grant> out) throws Exception {
    if (!catalog.loaded()) {
      catalog.load(ctx.getBroadcastState(Campaigns.STATE).immutableEntries());
    }
    CampaignTimeline t = Campaigns.apply(ctx.getBroadcastState(Campaigns.STATE), catalog, u, ctx.currentWatermark());
    Campaign c = t == null ? null : catalog.compiled(t.latest()).campaign();
    if (c != null && c.reward().usesInventory()) {
      // A campaign on a series that already has stock shows that stock at once, not at its first grant.
      String key = c.ledgerKey();
      ctx.applyToKeyedState(INVENTORY, (k, stock) -> {
        if (k.equals(key)) {
          publishStats(k, stats -> ctx.output(Tags.STATS, stats));
        }
      });
    }
  }

  @Override
  public void processElement(LedgerInput in, ReadOnlyContext ctx, Collector<Grant> out) throws Exception {
    if (!catalog.loaded()) {
      catalog.load(ctx.getBroadcastState(Campaigns.STATE).immutableEntries());
    }
    if (in.codes() != null) {
      addCodes(in.codes());
    } else {
      // Settle in event-time order so that which users win a contested budget is deterministic.
      // By qualifiedAt, not the record's timestamp: a deadline that fires just before a later
      // event of its user is emitted while that event is processed, with the event's timestamp.
      long t = in.qualification().qualifiedAt();
      List<Qualification> batch = pending.get(t);
      if (batch == null) {
        batch = new ArrayList<>(1);
      }
      batch.add(in.qualification());
      pending.put(t, batch);
      ctx.timerService().registerEventTimeTimer(t);
    }
    ensureStatsTimer(ctx);
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<Grant> out) throws Exception {
    if (!catalog.loaded()) {
      catalog.load(ctx.getBroadcastState(Campaigns.STATE).immutableEntries());
    }
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      legacyStatsTimer.clear();
      publishStats(ctx.getCurrentKey(), stats -> ctx.output(Tags.STATS, stats));
      return;
    }
    List<Qualification> batch = pending.get(time);
    if (batch == null) {
      return;
    }
    pending.remove(time);
    batch.sort(ORDER);
    for (Qualification q : batch) {
      settle(q, ctx, out);
    }
    // Counters moved: publish them, even if the timer armed when these arrived has fired since.
    ensureStatsTimer(ctx);
  }

  private void settle(Qualification q, ReadOnlyContext ctx, Collector<Grant> out) throws Exception {
    CampaignTimeline timeline = catalog.timeline(q.campaignId());
    CampaignUpdate entry = timeline == null ? null : timeline.at(q.qualifiedAt());
    if (entry == null) {
      return; // the campaign was archived and forgotten meanwhile: nothing to settle against
    }
    Campaign def = catalog.compiled(entry).campaign();
    LedgerCounters c = counter(q.campaignId()).withQualified();
    CampaignMetrics m = metrics(q.campaignId());
    m.qualified.inc();
    String reason = q.reject() != null ? q.reject() : budgetCheck(def.limits(), c, q);
    GrantReward reward = null;
    if (reason == null) {
      reward = reward(def, q, ctx);
      if (reward == null) {
        reason = Reasons.INVENTORY_EXHAUSTED;
      }
    }
    if (reason != null) {
      c = c.withRejection(reason);
      // A budget that refuses a grant is reached, even if it was never hit exactly (points).
      boolean budget = Reasons.CAMPAIGN_GRANT_LIMIT.equals(reason) || Reasons.CAMPAIGN_POINTS_LIMIT.equals(reason);
      if (budget && !c.limitAlerted()) {
        c = c.alerted();
        ctx.output(Tags.ALERTS, limitReached(q, def, c));
      }
      counters.put(q.campaignId(), c);
      m.rejected(reason).inc();
      ctx.output(
          Tags.REJECTIONS,
          new Rejection(q.campaignId(), q.userId(), reason, trigger(q), q.qualifiedAt()));
      return;
    }
    c = c.withGrant(q.points());
    m.granted.inc();
    m.points.inc(q.points());
    Limits limits = def.limits();
    boolean full = (limits.maxGrants() > 0 && c.granted() >= limits.maxGrants())
        || (limits.maxPoints() > 0 && c.points() >= limits.maxPoints());
    if (full && !c.limitAlerted()) {
      c = c.alerted();
      ctx.output(Tags.ALERTS, limitReached(q, def, c));
    }
    counters.put(q.campaignId(), c);
    out.collect(
        new Grant(grantId(q), q.campaignId(), q.version(), q.userId(), reward, trigger(q), q.qualifiedAt(),
            q.deliverAt(), 0));
  }

  private static Alert limitReached(Qualification q, Campaign def, LedgerCounters c) {
    return new Alert(Reasons.CAMPAIGN_LIMIT_REACHED, q.campaignId(), def.reward().series(), null,
        "campaign " + q.campaignId() + " reached its limit: " + c.granted() + " grants, " + c.points() + " points",
        q.qualifiedAt());
  }

  private static String budgetCheck(Limits limits, LedgerCounters c, Qualification q) {
    if (limits.maxGrants() > 0 && c.granted() >= limits.maxGrants()) {
      return Reasons.CAMPAIGN_GRANT_LIMIT;
    }
    if (limits.maxPoints() > 0 && c.points() + q.points() > limits.maxPoints()) {
      return Reasons.CAMPAIGN_POINTS_LIMIT;
    }
    return null;
  }

  /** The reward to grant, drawing a code from the series if needed; null if none is left. */
  private GrantReward reward(Campaign def, Qualification q, ReadOnlyContext ctx) throws Exception {
    Reward r = def.reward();
    Long validUntil = r.validFor() > 0 ? q.triggerTs() + r.validFor() : null;
    switch (r.type()) {
      case Reward.WALLET_POINTS:
        return new GrantReward(r.type(), q.points(), null, null, null, null);
      case Reward.SINGLE_CODE_COUPON:
        return new GrantReward(r.type(), null, null, r.code(), null, validUntil);
      default:
        StockCode code = take(def, q.qualifiedAt(), ctx);
        if (code == null) {
          return null;
        }
        Long expires = earliest(code.expiresAt(), validUntil);
        return new GrantReward(r.type(), null, r.series(), code.code(), r.partner(), expires);
    }
  }

  private static Long earliest(Long a, Long b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : Long.valueOf(Math.min(a, b));
  }

  /** Takes the next unexpired code of the series, raising stock alerts as it goes. */
  private StockCode take(Campaign def, long at, ReadOnlyContext ctx) throws Exception {
    Inventory inv = inventory.value();
    if (inv == null) {
      inv = Inventory.EMPTY;
    }
    StockCode found = null;
    long next = inv.next();
    long discarded = inv.discarded();
    while (found == null && next < inv.uploaded()) {
      StockCode c = codes.get(next);
      codes.remove(next);
      next++;
      if (c.expiresAt() != null && c.expiresAt() <= at) {
        discarded++;
      } else {
        found = c;
      }
    }
    inv = new Inventory(inv.uploaded(), next, inv.issued() + (found == null ? 0 : 1), discarded, inv.lowAlerted(),
        inv.exhaustedAlerted());
    String series = def.reward().series();
    if (found != null && def.reward().lowStock() > 0 && inv.remaining() <= def.reward().lowStock() && !inv.lowAlerted()) {
      inv = new Inventory(inv.uploaded(), inv.next(), inv.issued(), inv.discarded(), true, inv.exhaustedAlerted());
      ctx.output(Tags.ALERTS, new Alert(Reasons.INVENTORY_LOW, def.id(), series, null,
          "series " + series + " is low: " + inv.remaining() + " codes left", at));
    }
    if (inv.remaining() == 0 && !inv.exhaustedAlerted()) {
      inv = new Inventory(inv.uploaded(), inv.next(), inv.issued(), inv.discarded(), inv.lowAlerted(), true);
      ctx.output(Tags.ALERTS, new Alert(Reasons.ALERT_INVENTORY_EXHAUSTED, def.id(), series, null,
          "series " + series + " has no codes left (" + inv.issued() + " issued)", at));
    }
    inventory.update(inv);
    return found;
  }

  private void addCodes(CodeBatch batch) throws Exception {
    Inventory inv = inventory.value();
    if (inv == null) {
      inv = Inventory.EMPTY;
    }
    long idx = inv.uploaded();
    for (String code : batch.codes()) {
      codes.put(idx++, new StockCode(code, batch.expiresAt()));
    }
    // New stock re-arms the alerts.
    inventory.update(new Inventory(idx, inv.next(), inv.issued(), inv.discarded(), false, false));
  }

  /** The grant id: the same campaign, user and trigger (or run) always give the same id. */
  public static String grantId(Qualification q) {
    String basis = q.campaignId() + '\u0000' + q.userId() + '\u0000'
        + (q.runId() != null ? "run:" + q.runId() : "event:" + q.triggerEventId());
    return UUID.nameUUIDFromBytes(basis.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static TriggerRef trigger(Qualification q) {
    return q.triggerEventId() == null ? null : new TriggerRef(q.triggerEventId(), q.triggerTs());
  }

  private LedgerCounters counter(String campaignId) throws Exception {
    LedgerCounters c = counters.get(campaignId);
    return c == null ? LedgerCounters.ZERO : c;
  }

  /**
   * Publishes this key's stats at the next multiple of the interval: registering the same
   * processing-time timer again is a no-op, so there is no state to read per qualification. A
   * key with no input since its last publication gets no timer (its stats did not change).
   */
  private void ensureStatsTimer(ReadOnlyContext ctx) {
    long now = ctx.timerService().currentProcessingTime();
    ctx.timerService().registerProcessingTimeTimer(nextStatsTime(now, statsInterval));
  }

  /** The first multiple of {@code interval} after {@code now}. */
  static long nextStatsTime(long now, long interval) {
    return now - Math.floorMod(now, interval) + interval;
  }

  /**
   * Totals of every campaign settled by this key (those with counters, and those whose latest
   * version names this key, at zero until their first qualification), with the series' stock
   * when it has one.
   */
  private void publishStats(String key, Consumer<CampaignStats> out) throws Exception {
    Inventory inv = key.startsWith("series:") ? inventory.value() : null;
    Map<String, LedgerCounters> all = new HashMap<>();
    for (Map.Entry<String, LedgerCounters> e : counters.entries()) {
      all.put(e.getKey(), e.getValue());
    }
    for (String campaignId : catalog.settledBy(key)) {
      all.putIfAbsent(campaignId, LedgerCounters.ZERO);
    }
    for (Map.Entry<String, LedgerCounters> e : all.entrySet()) {
      LedgerCounters c = e.getValue();
      out.accept(
          new CampaignStats(e.getKey(), c.qualified(), c.granted(), c.points(), Map.copyOf(c.rejected()),
              inv == null ? -1 : inv.uploaded() - inv.discarded(), inv == null ? -1 : inv.issued(),
              inv == null ? -1 : inv.remaining()));
    }
  }

  private CampaignMetrics metrics(String campaignId) {
    return metrics.computeIfAbsent(
        campaignId, id -> new CampaignMetrics(getRuntimeContext().getMetricGroup().addGroup("campaign", id)));
  }

  /** Flink metrics of one campaign (visible in the web UI under the ledger operator). */
  static final class CampaignMetrics {
    final MetricGroup group;
    final Counter qualified;
    final Counter granted;
    final Counter points;
    final Map<String, Counter> rejected = new HashMap<>();

    CampaignMetrics(MetricGroup group) {
      this.group = group;
      this.qualified = group.counter("qualified");
      this.granted = group.counter("granted");
      this.points = group.counter("points");
    }

    Counter rejected(String reason) {
      return rejected.computeIfAbsent(reason, r -> group.counter("rejected_" + r));
    }
  }
}
