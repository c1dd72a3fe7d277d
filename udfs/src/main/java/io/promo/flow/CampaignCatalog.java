package io.promo.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.json.Json;
import io.promo.lang.Campaign;
import io.promo.lang.CampaignParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subtask's in-memory view of the broadcast campaign timelines: definitions compiled once per
 * version, and an index from event name to the campaigns that listen to it, so an event costs
 * work only for the campaigns that mention it. Rebuilt from broadcast state after a restore.
 */
public final class CampaignCatalog {
  private final Map<String, CampaignTimeline> timelines = new HashMap<>();
  private final Map<Long, Compiled> compiled = new HashMap<>();
  private Map<String, List<String>> byEventName = Map.of();
  private boolean loaded;

  /** A campaign version ready to judge events, with the fingerprint of its trigger. */
  public record Compiled(CampaignUpdate update, Campaign campaign, int triggerFingerprint) {}

  public boolean loaded() {
    return loaded;
  }

  public void load(Iterable<Map.Entry<String, CampaignTimeline>> entries) {
    timelines.clear();
    for (Map.Entry<String, CampaignTimeline> e : entries) {
      timelines.put(e.getKey(), e.getValue());
    }
    loaded = true;
    reindex();
  }

  public void put(CampaignTimeline t) {
    timelines.put(t.campaignId(), t);
    reindex();
  }

  public void remove(String campaignId) {
    timelines.remove(campaignId);
    reindex();
  }

  public CampaignTimeline timeline(String campaignId) {
    return timelines.get(campaignId);
  }

  public Iterable<CampaignTimeline> timelines() {
    return timelines.values();
  }

  public List<String> listeningTo(String eventName) {
    return byEventName.getOrDefault(eventName, List.of());
  }

  /** The compiled definition of a timeline entry (cached per campaign and seq). */
  public Compiled compiled(CampaignUpdate u) {
    long key = ((long) u.campaignId().hashCode() << 32) ^ u.seq();
    Compiled c = compiled.get(key);
    if (c == null || !c.update.campaignId().equals(u.campaignId()) || c.update.seq() != u.seq()) {
      c = compile(u);
      compiled.put(key, c);
    }
    return c;
  }

  private static Compiled compile(CampaignUpdate u) {
    try {
      JsonNode node = Json.tree(u.definitionJson());
      Campaign campaign = CampaignParser.parse(node).campaign();
      JsonNode trigger = node.path("qualification").path("trigger");
      return new Compiled(u, campaign, trigger.toString().hashCode());
    } catch (IOException e) {
      throw new IllegalStateException("a registered definition no longer parses: " + u.campaignId(), e);
    }
  }

  private void reindex() {
    Map<String, Set<String>> index = new HashMap<>();
    Set<Long> live = new java.util.HashSet<>();
    for (CampaignTimeline t : timelines.values()) {
      for (CampaignUpdate u : t.entries()) {
        Compiled c = compiled(u);
        live.add(((long) u.campaignId().hashCode() << 32) ^ u.seq());
        if (c.campaign() != null && c.campaign().trigger() != null) {
          for (String name : c.campaign().trigger().eventNames()) {
            index.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(t.campaignId());
          }
        }
      }
    }
    compiled.keySet().retainAll(live);
    Map<String, List<String>> frozen = new HashMap<>();
    index.forEach((k, v) -> frozen.put(k, List.copyOf(new ArrayList<>(v))));
    byEventName = frozen;
  }
}
