package io.promo.flow;

import io.promo.json.Json;
import io.promo.lang.Campaign;
import io.promo.lang.CampaignParser;
import io.promo.model.CampaignStatus;
import io.promo.model.Command;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The campaign lifecycle, keyed by campaign id: applies each command at its time if the status
 * then allows it, versions edits, ignores repeated commandIds, and broadcasts every change as a
 * {@link CampaignUpdate}. Processing-time timers at the schedule's start and end refresh the
 * published status (judging itself derives the status from the schedule at each event's time).
 */
public class CampaignRegistry extends KeyedProcessFunction<String, Command, CampaignUpdate> {
  private static final long serialVersionUID = 1L;

  private transient ValueState<RegistryEntry> entry;
  private transient MapState<String, Boolean> applied;
  private transient Counter accepted;
  private transient Counter rejected;

  @Override
  public void open(OpenContext ctx) {
    entry = getRuntimeContext().getState(new ValueStateDescriptor<>("entry", TypeInformation.of(RegistryEntry.class)));
    applied = getRuntimeContext().getMapState(new MapStateDescriptor<>("applied-commands", Types.STRING, Types.BOOLEAN));
    accepted = getRuntimeContext().getMetricGroup().counter("commandsApplied");
    rejected = getRuntimeContext().getMetricGroup().counter("commandsRejected");
  }

  @Override
  public void processElement(Command c, Context ctx, Collector<CampaignUpdate> out) throws Exception {
    if (applied.contains(c.commandId())) {
      return;
    }
    RegistryEntry current = entry.value();
    String verb = c.type().substring("campaign.".length());
    List<String> errors = new ArrayList<>();
    String status = null;
    if (current == null) {
      if (!"upsert".equals(verb)) {
        errors.add("campaign '" + c.campaignId() + "' does not exist");
      }
    } else {
      status = Lifecycle.effective(current.status(), current.start(), current.end(), c.at());
      if (!Lifecycle.allowed(status).contains(verb)) {
        errors.add("campaign '" + c.campaignId() + "' is " + status + ": " + verb + " is not allowed (allowed: "
            + (Lifecycle.allowed(status).isEmpty() ? "nothing" : String.join(", ", new TreeSet<>(Lifecycle.allowed(status)))) + ")");
      }
    }
    Campaign def = null;
    String json = current == null ? null : current.definitionJson();
    if ("upsert".equals(verb) && errors.isEmpty()) {
      def = CampaignParser.parse(Json.tree(c.campaignJson())).campaign();
      json = c.campaignJson();
      if (current != null && !Lifecycle.DRAFT.equals(status) && !def.ledgerKey().equals(current.ledgerKey())) {
        errors.add("reward series cannot change once the campaign was published (it is '" + current.ledgerKey()
            + "'); create a new campaign instead");
      }
    } else if (json != null) {
      def = CampaignParser.parse(Json.tree(json)).campaign();
    }
    if (!errors.isEmpty()) {
      rejected.inc();
      ctx.output(Tags.ALERTS, CommandRouter.rejected(c.rejected(errors), c.at()));
      return;
    }
    RegistryEntry next = next(current, verb, def, json, c);
    entry.update(next);
    applied.put(c.commandId(), true);
    accepted.inc();
    out.collect(
        new CampaignUpdate(c.campaignId(), next.seq(), next.version(), c.at(), next.status(), json, next.start(), next.end()));
    publishStatus(next, def, ctx.timerService().currentProcessingTime(), c.at(), ctx);
    long now = ctx.timerService().currentProcessingTime();
    for (Long t : new Long[] {next.start(), next.end()}) {
      if (t != null && t > now) {
        ctx.timerService().registerProcessingTimeTimer(t);
      }
    }
  }

  private static RegistryEntry next(RegistryEntry cur, String verb, Campaign def, String json, Command c) {
    long at = c.at();
    long seq = cur == null ? 1 : cur.seq() + 1;
    int version = cur == null ? 1 : cur.version();
    String status = cur == null ? null : cur.status();
    Long start = cur == null ? null : cur.start();
    Long end = def.schedule().end();
    switch (verb) {
      case "upsert" -> {
        if (cur == null) {
          status = def.draft() ? Lifecycle.DRAFT : Lifecycle.SCHEDULED;
          start = def.draft() ? null : firstNonNull(def.schedule().start(), at);
        } else {
          version++;
          if (!Lifecycle.DRAFT.equals(status)) {
            start = firstNonNull(def.schedule().start(), start);
          }
        }
      }
      case "publish" -> {
        status = Lifecycle.SCHEDULED;
        start = firstNonNull(def.schedule().start(), at);
      }
      case "pause" -> status = Lifecycle.PAUSED;
      case "resume" -> status = Lifecycle.RUNNING;
      case "stop" -> status = Lifecycle.STOPPED;
      case "archive" -> status = Lifecycle.ARCHIVED;
      default -> throw new IllegalArgumentException(verb);
    }
    return new RegistryEntry(json, version, seq, status, start, end, def.ledgerKey(), at, c.commandId());
  }

  private static Long firstNonNull(Long a, long b) {
    return a != null ? a : b;
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<CampaignUpdate> out) throws Exception {
    RegistryEntry e = entry.value();
    if (e != null) {
      publishStatus(e, CampaignParser.parse(Json.tree(e.definitionJson())).campaign(), time, time, ctx);
    }
  }

  private static void publishStatus(RegistryEntry e, Campaign def, long now, long at, Context ctx) {
    long t = Math.max(now, at);
    Map<String, Long> schedule = new LinkedHashMap<>();
    if (e.start() != null) {
      schedule.put("start", e.start());
    }
    if (e.end() != null) {
      schedule.put("end", e.end());
    }
    Map<String, Long> limits = new LinkedHashMap<>();
    limits.put("perUserMax", (long) def.limits().perUserMax());
    if (def.limits().maxGrants() > 0) {
      limits.put("maxGrants", def.limits().maxGrants());
    }
    if (def.limits().maxPoints() > 0) {
      limits.put("maxPoints", def.limits().maxPoints());
    }
    ctx.output(
        Tags.STATUS,
        new CampaignStatus(
            def.id(), def.name(), def.createdBy(), def.labels(), def.kind(), def.reward().type(),
            Lifecycle.effective(e.status(), e.start(), e.end(), t), e.version(), schedule, t, null, limits,
            e.lastCommandId()));
  }
}
