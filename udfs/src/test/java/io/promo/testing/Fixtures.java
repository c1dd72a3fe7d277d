package io.promo.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promo.flow.CampaignUpdate;
import io.promo.flow.Lifecycle;
import io.promo.flow.Qualification;
import io.promo.json.CommandCodec;
import io.promo.json.Json;
import io.promo.lang.Campaign;
import io.promo.lang.CampaignParser;
import io.promo.model.Command;
import io.promo.model.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builders for the events, commands, campaigns and updates that the tests feed in. */
public final class Fixtures {
  private Fixtures() {}

  public static final long SEC = 1_000;
  public static final long MIN = 60 * SEC;
  public static final long HOUR = 60 * MIN;
  public static final long DAY = 24 * HOUR;

  /** 2026-12-01T00:00:00Z, a Tuesday: the start of every test campaign. */
  public static final long T0 = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

  public static long at(String isoInstant) {
    return Instant.parse(isoInstant).toEpochMilli();
  }

  // ---- JSON -------------------------------------------------------------------------------------

  /** Parses JSON written with single quotes for readability ({@code {'a': 1}}). */
  public static JsonNode json(String singleQuoted) {
    try {
      return Json.tree(singleQuoted.replace('\'', '"'));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] utf8(String singleQuoted) {
    return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  // ---- events -----------------------------------------------------------------------------------

  public static Event event(String eventId, String userId, String name, long ts) {
    return new Event(eventId, userId, name, ts, Map.of(), Map.of());
  }

  /** An event with props given as alternating names and values ({@code "amount", 120.5}). */
  public static Event event(String eventId, String userId, String name, long ts, Object... props) {
    return new Event(eventId, userId, name, ts, map(props), Map.of());
  }

  public static Event withProfile(Event e, Object... profile) {
    return new Event(e.eventId(), e.userId(), e.name(), e.ts(), e.props(), map(profile));
  }

  public static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  // ---- campaigns --------------------------------------------------------------------------------

  /**
   * A LIVE campaign that by default grants 10 points on each {@code buy}, at most 100 per user,
   * running from T0 with no end. Every part can be replaced with (single-quoted) JSON.
   */
  public static CampaignJson campaign(String id) {
    return new CampaignJson(id);
  }

  public static final class CampaignJson {
    private final ObjectNode root = Json.object();

    CampaignJson(String id) {
      root.put("id", id);
      root.put("name", "Campaign " + id);
      root.put("createdBy", "alice");
      trigger("{'on': {'event': 'buy'}}");
      reward("{'type': 'WALLET_POINTS', 'points': 10}");
      limits("{'perUser': {'max': 100}}");
    }

    public CampaignJson set(String field, String singleQuotedJson) {
      root.set(field, json(singleQuotedJson));
      return this;
    }

    public CampaignJson trigger(String t) {
      return set("qualification", "{'kind': 'LIVE', 'trigger': " + t + "}");
    }

    public CampaignJson reward(String r) {
      return set("reward", r);
    }

    public CampaignJson limits(String l) {
      return set("limits", l);
    }

    public CampaignJson segment(String s) {
      return set("segment", s);
    }

    public CampaignJson delivery(String d) {
      return set("delivery", d);
    }

    public CampaignJson schedule(Long start, Long end) {
      ObjectNode s = Json.object();
      if (start != null) {
        s.put("start", start);
      }
      if (end != null) {
        s.put("end", end);
      }
      root.set("schedule", s);
      return this;
    }

    public CampaignJson draft() {
      root.put("draft", true);
      return this;
    }

    public String id() {
      return root.get("id").textValue();
    }

    public ObjectNode node() {
      return root.deepCopy();
    }

    public String text() {
      return Json.canonical(root);
    }

    /** The parsed definition; fails the test if the JSON has errors. */
    public Campaign parse() {
      CampaignParser.Result r = CampaignParser.parse(root);
      assertThat(r.errors()).isEmpty();
      return r.campaign();
    }

    /** The registry's broadcast for this campaign RUNNING from {@code start} (seq 1, version 1). */
    public CampaignUpdate running(long start, Long end) {
      return update(1, 1, start, Lifecycle.SCHEDULED, start, end);
    }

    public CampaignUpdate update(long seq, int version, long at, String status, Long start, Long end) {
      return new CampaignUpdate(id(), seq, version, at, status, text(), start, end);
    }
  }

  // ---- commands ---------------------------------------------------------------------------------

  private static long offset;

  /** Reads a command as the control source does (record timestamp {@code recordTs}). */
  public static Command command(String singleQuotedJson, long recordTs) {
    return CommandCodec.parse("promo.control", 0, offset++, recordTs, utf8(singleQuotedJson)).command();
  }

  public static Command upsert(String commandId, CampaignJson c, long at) {
    String json = "{\"type\": \"campaign.upsert\", \"commandId\": \"" + commandId + "\", \"actor\": \"alice\", \"at\": "
        + at + ", \"campaign\": " + c.text() + "}";
    return CommandCodec.parse("promo.control", 0, offset++, 0, json.getBytes(StandardCharsets.UTF_8)).command();
  }

  /** campaign.publish / pause / resume / stop / archive. */
  public static Command lifecycle(String verb, String commandId, String campaignId, long at) {
    return command(
        "{'type': 'campaign." + verb + "', 'commandId': '" + commandId + "', 'actor': 'bob', 'campaignId': '"
            + campaignId + "', 'at': " + at + "}",
        0);
  }

  public static Command codesUpload(String commandId, String series, String partner, long at, String... codes) {
    return command(
        "{'type': 'codes.upload', 'commandId': '" + commandId + "', 'series': '" + series + "', "
            + (partner == null ? "" : "'partner': '" + partner + "', ")
            + "'codes': [" + quoted(codes) + "], 'at': " + at + "}",
        0);
  }

  public static Command listChange(String verb, String commandId, String list, long at, String... userIds) {
    return command(
        "{'type': 'list." + verb + "', 'commandId': '" + commandId + "', 'list': '" + list + "', 'userIds': ["
            + quoted(userIds) + "], 'at': " + at + "}",
        0);
  }

  private static String quoted(String... values) {
    StringBuilder sb = new StringBuilder();
    for (String v : values) {
      sb.append(sb.length() == 0 ? "" : ", ").append('\'').append(v).append('\'');
    }
    return sb.toString();
  }

  // ---- qualifications ---------------------------------------------------------------------------

  /** A qualification of an event-triggered campaign whose ledger is its own, delivered at once. */
  public static Qualification qualification(String campaignId, String userId, String eventId, long at, long points) {
    return qualification(campaignId, "campaign:" + campaignId, userId, eventId, at, points, null);
  }

  public static Qualification qualification(
      String campaignId, String ledgerKey, String userId, String eventId, long at, long points, String reject) {
    return new Qualification(campaignId, 1, userId, ledgerKey, eventId, at, null, at, at, points, reject);
  }
}
