package io.promo.bench.jmh;

import io.promo.bench.Workload;
import io.promo.flow.CampaignCatalog;
import io.promo.flow.CampaignTimeline;
import io.promo.flow.CampaignUpdate;
import io.promo.flow.Lifecycle;
import io.promo.flow.TriggerEngine;
import io.promo.flow.UserState;
import io.promo.json.EventCodec;
import io.promo.lang.Campaign;
import io.promo.model.Event;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Campaign matching for N live campaigns, the loop of UserEvaluator.judge without state access:
 * the catalog's candidates for the event (event name, then the sku value index), the timeline
 * entry in force, lifecycle status, compiled definition, and the trigger step on a scratch
 * progress; {@code judgeAll} is the same loop over every campaign listening to the event's name
 * (the evaluator before the value index). The bench workload: 50 event names, 20% of events match
 * one campaign, the rest fail every condition of the campaigns listening to their name.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MatchBench {
  @Param({"1", "10", "100", "1000"})
  public int campaigns;

  private CampaignCatalog catalog;
  private List<CampaignTimeline> timelines;
  private String[] names;
  private List<CampaignTimeline> oneName;
  private Event[] events;
  private int next;
  private final UserState.Progress scratch = new UserState.Progress();
  private final List<TriggerEngine.Fired> fired = new ArrayList<>();
  private final ZoneId zone = ZoneOffset.UTC;

  @Setup
  public void setup() {
    long t0 = System.currentTimeMillis() - 86_400_000L;
    Workload w = new Workload(campaigns, 100_000, 0.2, t0, 1000, 42, null, 1000);
    List<Map.Entry<String, CampaignTimeline>> entries = new ArrayList<>();
    for (int c = 0; c < campaigns; c++) {
      String id = "bench-" + c;
      CampaignUpdate u = new CampaignUpdate(id, 1, 1, t0 - 3_600_000L, Lifecycle.SCHEDULED, w.campaignJson(c),
          t0 - 3_600_000L, t0 + 30L * 86_400_000L);
      entries.add(new AbstractMap.SimpleEntry<>(id, CampaignTimeline.of(u)));
    }
    timelines = new ArrayList<>();
    for (Map.Entry<String, CampaignTimeline> e : entries) {
      timelines.add(e.getValue());
    }
    // The same campaigns all listening to one event name ("purchase", filtered by sku).
    Workload one = new Workload(campaigns, 100_000, 0.2, t0, 1000, 42, List.of("purchase"), 1000);
    oneName = new ArrayList<>();
    for (int c = 0; c < campaigns; c++) {
      oneName.add(CampaignTimeline.of(new CampaignUpdate("bench-" + c, 1, 1, t0 - 3_600_000L, Lifecycle.SCHEDULED,
          one.campaignJson(c), t0 - 3_600_000L, t0 + 30L * 86_400_000L)));
    }
    catalog = new CampaignCatalog();
    catalog.load(entries);
    events = new Event[4096];
    for (int i = 0; i < events.length; i++) {
      events[i] = EventCodec.parse(w.event(i)).event();
    }
    names = java.util.Arrays.stream(events).map(Event::name).distinct().sorted().toArray(String[]::new);
  }

  /** Returns the number of qualifications found (consumed by JMH). */
  @Benchmark
  public int judge() {
    Event e = events[next++ & 4095];
    return judge(e, catalog.candidates(e));
  }

  /** The same over every campaign listening to the event's name (no value index). */
  @Benchmark
  public int judgeAll() {
    Event e = events[next++ & 4095];
    return judge(e, catalog.listeningTo(e.name()));
  }

  /**
   * As {@link #judge} for a user with no progress in any campaign (the common case), with the
   * evaluator's {@code Compiled.mayStart} pre-check: a campaign the event cannot start is skipped
   * before its trigger step (and, in the evaluator, before creating a progress).
   */
  @Benchmark
  public int judgeNoProgress() {
    Event e = events[next++ & 4095];
    return judge(e, catalog.candidates(e), true);
  }

  private int judge(Event e, List<String> campaignIds) {
    return judge(e, campaignIds, false);
  }

  private int judge(Event e, List<String> campaignIds, boolean mayStartFirst) {
    int n = 0;
    for (String campaignId : campaignIds) {
      CampaignUpdate entry = catalog.timeline(campaignId).at(e.ts());
      if (entry == null) {
        continue;
      }
      String status = Lifecycle.effective(entry.status(), entry.start(), entry.end(), e.ts());
      if (!Lifecycle.RUNNING.equals(status)) {
        continue;
      }
      CampaignCatalog.Compiled c = catalog.compiled(entry);
      if (mayStartFirst && !c.mayStart(e)) {
        continue;
      }
      Campaign def = c.campaign();
      fired.clear();
      scratch.items.clear();
      TriggerEngine.onEvent(def.trigger(), scratch, e, zone, def.reward().of(), fired);
      n += fired.size() + scratch.items.size();
    }
    return n;
  }

  /** Only the index: how many campaigns an event is tested against. */
  @Benchmark
  public int lookup() {
    return catalog.candidates(events[next++ & 4095]).size();
  }

  /**
   * Start-up: N campaign upserts applied one by one to an empty catalog, as the registry's
   * broadcast does (each {@code put} compiles its definition and updates the index).
   */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int build() {
    CampaignCatalog c = new CampaignCatalog();
    c.load(List.of());
    for (CampaignTimeline t : timelines) {
      c.put(t);
    }
    int n = 0;
    for (String name : names) { // every name's index is built (the catalog may build them lazily)
      n += c.listeningTo(name).size();
    }
    return n;
  }

  /** As {@link #build}, with every campaign listening to the same event name. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int buildOneName() {
    CampaignCatalog c = new CampaignCatalog();
    c.load(List.of());
    for (CampaignTimeline t : oneName) {
      c.put(t);
    }
    return c.listeningTo("purchase").size();
  }
}
