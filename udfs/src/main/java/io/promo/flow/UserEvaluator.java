package io.promo.flow;

import io.promo.lang.Campaign;
import io.promo.lang.Limits;
import io.promo.lang.Reward;
import io.promo.model.Event;
import io.promo.model.Reasons;
import io.promo.time.Times;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import io.promo.serde.UserStateTypeInfoFactory;

/**
 * Judges each user's events against the LIVE campaigns, in event-time order.
 *
 * <p>Per user there is one state value ({@link UserState}) and at most one event-time timer.
 * Events arrive already in (ts, eventId) order per user ({@link EventSorter} releases them as
 * the watermark passes them, and a user's events all come through one partition), so an event
 * is judged on arrival: the user's inaction deadlines that fall before it fire first, then the
 * event is judged by the campaigns as they stood at its time. That costs one state read and one
 * write, and no timer unless a deadline earlier than the registered one appears.
 *
 * <p>Until this operator's watermark first moves (at start-up and after a restore, while the
 * control log is still being read) events are instead buffered in the user's state and judged
 * when the watermark passes them, interleaved with the deadlines, so that no event is judged
 * before the campaigns it should be judged by are known. A user with buffered events keeps
 * buffering until they are judged, so their order holds.
 */
public class UserEvaluator extends KeyedBroadcastProcessFunction<String, UserInput, CampaignUpdate, Qualification> {
  private static final long serialVersionUID = 1L;

  private final long dedupeHorizon;
  private final long retention;
  /** Clean-ups are rounded up to this: a 24th of the dedupe horizon, at least a minute. */
  private final long cleanupGrain;

  private transient ValueState<UserState> state;
  /** The key being processed (set on entry of every callback). */
  private transient String user;
  private transient CampaignCatalog catalog;
  private transient List<TriggerEngine.Fired> fired;
  private transient Counter judged;
  private transient Counter duplicates;
  private transient Counter qualified;
  private transient volatile int activeCampaigns;
  private transient long activeCountedAt;

  public UserEvaluator(long dedupeHorizonMillis) {
    this(dedupeHorizonMillis, 0);
  }

  /**
   * @param retentionMillis forget a user whose state was not written for this long (processing
   *     time; 0 keeps users for ever)
   */
  public UserEvaluator(long dedupeHorizonMillis, long retentionMillis) {
    this.dedupeHorizon = dedupeHorizonMillis;
    this.retention = retentionMillis;
    this.cleanupGrain = Math.max(60_000L, dedupeHorizonMillis / 24);
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<UserState> user = new ValueStateDescriptor<>("user", UserStateTypeInfoFactory.TYPE);
    if (retention > 0) {
      user.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(retention))
          .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
          .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
          .cleanupInRocksdbCompactFilter(1000)
          .build());
    }
    state = getRuntimeContext().getState(user);
    catalog = new CampaignCatalog();
    fired = new ArrayList<>(2);
    judged = getRuntimeContext().getMetricGroup().counter("eventsJudged");
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
    qualified = getRuntimeContext().getMetricGroup().counter("qualifications");
    getRuntimeContext().getMetricGroup().gauge("activeCampaigns", () -> activeCampaigns);
  }

  /** Counts RUNNING campaigns for the gauge (read by the metrics thread, so kept in a volatile). */
  private void countActive(long now) {
    if (now - activeCountedAt < 1000) {
      return;
    }
    activeCountedAt = now;
    int n = 0;
    for (CampaignTimeline t : catalog.timelines()) {
      if (Lifecycle.RUNNING.equals(t.statusAt(now))) {
        n++;
      }
    }
    activeCampaigns = n;
  }

  @Override
  public void processBroadcastElement(CampaignUpdate u, Context ctx, Collector<Qualification> out) throws Exception {
    ensureCatalog(ctx.getBroadcastState(Campaigns.STATE).immutableEntries());
    Campaigns.apply(ctx.getBroadcastState(Campaigns.STATE), catalog, u, ctx.currentWatermark());
    activeCountedAt = 0;
    countActive(ctx.currentProcessingTime());
  }

  @Override
  public void processElement(UserInput in, ReadOnlyContext ctx, Collector<Qualification> out) throws Exception {
    user = ctx.getCurrentKey();
    ensureCatalog(ctx.getBroadcastState(Campaigns.STATE).immutableEntries());
    UserState s = state.value();
    if (s == null) {
      s = new UserState();
    }
    if (in.listChange() != null) {
      ListChange c = in.listChange();
      if (c.add()) {
        s.lists.add(c.list());
      } else {
        s.lists.remove(c.list());
      }
      store(s, ctx.timerService(), ctx.currentWatermark());
      return;
    }
    Event e = in.event();
    long h = UserState.hash(e.eventId());
    if (s.seen(h, e.ts(), dedupeHorizon)) {
      duplicates.inc();
      return;
    }
    s.remember(h, e.ts());
    if (ctx.currentWatermark() == Long.MIN_VALUE || !s.pending.isEmpty()) {
      s.addPending(e);
    } else {
      // In order for this user (see the class comment): what was due before it happens first;
      // an event at a deadline itself still counts as "in between" (it can cancel).
      countActive(ctx.currentProcessingTime());
      advance(s, e.ts() - 1, out);
      judge(s, e, out);
    }
    store(s, ctx.timerService(), e.ts());
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<Qualification> out) throws Exception {
    user = ctx.getCurrentKey();
    ensureCatalog(ctx.getBroadcastState(Campaigns.STATE).immutableEntries());
    UserState s = state.value();
    if (s == null) {
      return;
    }
    if (s.timer <= time) {
      s.timer = Long.MIN_VALUE; // this is it
    }
    countActive(ctx.timerService().currentProcessingTime());
    advance(s, time, out);
    cleanUp(s, time);
    store(s, ctx.timerService(), time);
  }

  private void ensureCatalog(Iterable<Map.Entry<String, CampaignTimeline>> entries) {
    if (!catalog.loaded()) {
      catalog.load(entries);
    }
  }

  /** Judges pending events and fires deadlines up to {@code t}, in time order. */
  private void advance(UserState s, long t, Collector<Qualification> out) {
    while (true) {
      long nextEvent = s.pending.isEmpty() ? Long.MAX_VALUE : s.pending.get(0).ts();
      String deadlineCampaign = null;
      long deadline = Long.MAX_VALUE;
      for (Map.Entry<String, UserState.Progress> p : s.progress.entrySet()) {
        if (p.getValue().fires) {
          long due = TriggerEngine.nextDue(p.getValue());
          if (due < deadline) {
            deadline = due;
            deadlineCampaign = p.getKey();
          }
        }
      }
      if (nextEvent > t && deadline > t) {
        return;
      }
      // An event at the deadline itself still counts as "in between" (it can cancel).
      if (deadline < nextEvent) {
        fireDeadline(s, deadlineCampaign, deadline, out);
      } else {
        judge(s, s.pending.remove(0), out);
      }
    }
  }

  private void judge(UserState s, Event e, Collector<Qualification> out) {
    judged.inc();
    if (!e.profile().isEmpty()) {
      s.profile.putAll(e.profile());
    }
    ZoneId zone = zone(s);
    s.countHour(Times.localHour(e.ts(), zone));
    for (String campaignId : catalog.candidates(e)) {
      CampaignUpdate entry = catalog.timeline(campaignId).at(e.ts());
      if (entry == null) {
        continue;
      }
      String status = Lifecycle.effective(entry.status(), entry.start(), entry.end(), e.ts());
      boolean paused = Lifecycle.PAUSED.equals(status);
      if (!paused && !Lifecycle.RUNNING.equals(status)) {
        continue;
      }
      CampaignCatalog.Compiled c = catalog.compiled(entry);
      Campaign def = c.campaign();
      if (!Campaign.LIVE.equals(def.kind())) {
        continue;
      }
      if (!s.progress.containsKey(campaignId) && !c.mayStart(e)) {
        continue; // nothing to start, nothing to cancel or complete: no Progress to create and drop
      }
      UserState.Progress p = progress(s, campaignId, c);
      // While paused, events do not count: judge a copy, only to report NOT_RUNNING.
      UserState.Progress work = paused ? p.copy() : p;
      fired.clear();
      TriggerEngine.onEvent(def.trigger(), work, e, zone, def.reward().of(), fired);
      for (TriggerEngine.Fired f : fired) {
        qualify(s, p, c, f, paused, zone, out);
      }
      if (p.isEmpty()) {
        s.progress.remove(campaignId);
      }
    }
  }

  private void fireDeadline(UserState s, String campaignId, long deadline, Collector<Qualification> out) {
    UserState.Progress p = s.progress.get(campaignId);
    fired.clear();
    TriggerEngine.takeDue(p, deadline, true, fired);
    CampaignTimeline timeline = catalog.timeline(campaignId);
    CampaignUpdate entry = timeline == null ? null : timeline.at(deadline);
    if (entry != null) {
      String status = Lifecycle.effective(entry.status(), entry.start(), entry.end(), deadline);
      CampaignCatalog.Compiled c = catalog.compiled(entry);
      boolean paused = Lifecycle.PAUSED.equals(status);
      // A deadline of a trigger that was edited since is a dropped partial match.
      if ((paused || Lifecycle.RUNNING.equals(status)) && c.triggerFingerprint() == p.fingerprint) {
        ZoneId zone = zone(s);
        for (TriggerEngine.Fired f : fired) {
          qualify(s, p, c, f, paused, zone, out);
        }
      }
    }
    if (p.isEmpty()) {
      s.progress.remove(campaignId);
    }
  }

  private UserState.Progress progress(UserState s, String campaignId, CampaignCatalog.Compiled c) {
    UserState.Progress p = s.progress.get(campaignId);
    if (p == null) {
      p = new UserState.Progress();
      s.progress.put(campaignId, p);
    } else if (p.fingerprint != c.triggerFingerprint()) {
      // The trigger changed: partial matches are dropped, grant counts carry over.
      p.items.clear();
      p.done = false;
    }
    p.fingerprint = c.triggerFingerprint();
    p.fires = TriggerEngine.fires(c.campaign().trigger());
    return p;
  }

  private void qualify(
      UserState s,
      UserState.Progress p,
      CampaignCatalog.Compiled c,
      TriggerEngine.Fired f,
      boolean paused,
      ZoneId zone,
      Collector<Qualification> out) {
    Campaign def = c.campaign();
    if (def.segment() != null && !Segments.test(def.segment(), s)) {
      return;
    }
    Reward reward = def.reward();
    long points = 0;
    if (reward.isPoints()) {
      points = reward.pointsFor(f.base());
      if (points <= 0) {
        return; // percent of a property the triggering event does not carry: nothing to give
      }
    }
    String reject = null;
    long deliverAt = f.at();
    Limits limits = def.limits();
    if (paused) {
      reject = Reasons.NOT_RUNNING;
    } else {
      if (limits.perUserSpan() > 0) {
        long since = f.at() - limits.perUserSpan();
        p.grantTimes.removeIf(t -> t <= since);
      }
      long used = limits.perUserSpan() > 0 ? p.grantTimes.size() : p.grants;
      if (used >= limits.perUserMax()) {
        reject = Reasons.USER_LIMIT;
      } else {
        deliverAt = DeliveryPlanner.plan(def.delivery(), f.at(), zone, s.hours);
        if (deliverAt == DeliveryPlanner.DROPPED) {
          reject = Reasons.DELIVERY_DROPPED;
          deliverAt = f.at();
        } else {
          p.grants++;
          if (limits.perUserSpan() > 0) {
            p.grantTimes.add(f.at());
            p.grantSpan = limits.perUserSpan();
          }
        }
      }
    }
    qualified.inc();
    out.collect(
        new Qualification(
            def.id(), c.update().version(), user, def.ledgerKey(), f.eventId(),
            f.eventTs(), null, f.at(), deliverAt, points, reject));
  }

  /** Drops what no longer matters at {@code t}: old event ids, expired items, ended campaigns. */
  private void cleanUp(UserState s, long t) {
    // An id is kept until t = its ts + horizon, where nextDue puts the timer: forget it then,
    // or the timer is re-registered at the same time, behind the watermark, for ever.
    s.forgetSeenBefore(t - dedupeHorizon + 1);
    for (Iterator<Map.Entry<String, UserState.Progress>> it = s.progress.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, UserState.Progress> e = it.next();
      UserState.Progress p = e.getValue();
      CampaignTimeline timeline = catalog.timeline(e.getKey());
      String status = timeline == null ? null : timeline.statusAt(t);
      if (status == null || Lifecycle.isFinal(status)) {
        it.remove();
        continue;
      }
      if (!p.fires) {
        TriggerEngine.takeDue(p, t, false, fired);
      }
      if (p.grantSpan > 0) {
        long since = t - p.grantSpan;
        p.grantTimes.removeIf(x -> x <= since);
      }
      if (p.isEmpty()) {
        it.remove();
      }
    }
  }

  /**
   * Writes the state (or clears it) and keeps one timer at or before the next thing due after
   * {@code now} (the event or timer being processed). The
   * timer moves only when something earlier than it becomes due; a timer that fires early finds
   * nothing to do and registers the next one. Cleaning up (forgetting event ids, expiring window
   * items) is rounded up to {@link #cleanupGrain}, so a busy user's clean-ups coalesce.
   */
  private void store(UserState s, TimerService timers, long now) throws Exception {
    long next = nextDue(s, now);
    if (next == Long.MAX_VALUE) {
      if (s.timer != Long.MIN_VALUE) {
        timers.deleteEventTimeTimer(s.timer);
        s.timer = Long.MIN_VALUE;
      }
    } else if (s.timer == Long.MIN_VALUE || next < s.timer) {
      if (s.timer != Long.MIN_VALUE) {
        timers.deleteEventTimeTimer(s.timer);
      }
      timers.registerEventTimeTimer(next);
      s.timer = next;
    }
    if (s.isEmpty() && s.timer == Long.MIN_VALUE) {
      state.clear();
    } else {
      state.update(s);
    }
  }

  /** The next time this user needs a timer: a deadline or buffered event exactly, clean-ups rounded up. */
  private long nextDue(UserState s, long now) {
    long exact = s.pending.isEmpty() ? Long.MAX_VALUE : s.pending.get(0).ts();
    long cleanup = Long.MAX_VALUE;
    if (s.seenCount > 0) {
      cleanup = s.oldestSeen() + dedupeHorizon;
    }
    for (Map.Entry<String, UserState.Progress> e : s.progress.entrySet()) {
      UserState.Progress p = e.getValue();
      long due = TriggerEngine.nextDue(p);
      // A campaign that ends lets its progress (grant counts included) go then. Only an end
      // still ahead: one already passed that did not end the campaign at `now` (an edit that
      // takes effect later) would put the timer behind the watermark, firing it again and again.
      CampaignTimeline timeline = catalog.timeline(e.getKey());
      Long end = timeline == null ? null : timeline.latest().end();
      if (end != null && end > now) {
        cleanup = Math.min(cleanup, end);
      }
      if (p.fires) {
        exact = Math.min(exact, due);
      } else {
        cleanup = Math.min(cleanup, due);
      }
      if (p.grantSpan > 0 && !p.grantTimes.isEmpty()) {
        cleanup = Math.min(cleanup, p.grantTimes.get(0) + p.grantSpan);
      }
    }
    return Math.min(exact, roundUp(cleanup, cleanupGrain));
  }

  private static long roundUp(long t, long grain) {
    if (t == Long.MAX_VALUE || grain <= 1) {
      return t;
    }
    long r = Math.floorMod(t, grain);
    return r == 0 ? t : (t > Long.MAX_VALUE - grain ? Long.MAX_VALUE : t - r + grain);
  }

  static ZoneId zone(UserState s) {
    Object tz = s.profile.get("tz");
    ZoneId z = tz instanceof String id ? Times.cachedZoneOrNull(id) : null;
    return z == null ? ZoneOffset.UTC : z;
  }

}
