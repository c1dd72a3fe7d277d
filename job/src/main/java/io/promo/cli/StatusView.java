package io.promo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Read-only accessors over one {@code promo.campaign-status} record (CampaignStatus in the
 * contract). Works on the JSON tree, so fields the job adds later are kept (for --json) and
 * fields it leaves out read as absent.
 */
record StatusView(JsonNode json) {

  String id() {
    return text("id");
  }

  String name() {
    return text("name");
  }

  String status() {
    return text("status");
  }

  String kind() {
    return text("kind");
  }

  String rewardType() {
    return text("rewardType");
  }

  String createdBy() {
    return text("createdBy");
  }

  String lastCommandId() {
    return text("lastCommandId");
  }

  int version() {
    return json.path("version").asInt(0);
  }

  long updatedAt() {
    return json.path("updatedAt").asLong(0);
  }

  List<String> labels() {
    List<String> out = new ArrayList<>();
    for (JsonNode l : json.path("labels")) {
      if (l.isTextual()) {
        out.add(l.textValue());
      }
    }
    return out;
  }

  /** A counter of {@code stats} (qualified, granted, points), 0 when absent. */
  long stat(String name) {
    return json.path("stats").path(name).asLong(0);
  }

  /** Rejections by reason, sorted by reason. */
  Map<String, Long> rejected() {
    Map<String, Long> out = new TreeMap<>();
    json.path("stats").path("rejected").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
    return out;
  }

  long rejectedTotal() {
    return rejected().values().stream().mapToLong(Long::longValue).sum();
  }

  /** {@code stats.inventory.<name>} (uploaded, issued, remaining), or null when the reward has no inventory. */
  Long inventory(String name) {
    JsonNode v = json.path("stats").path("inventory").get(name);
    return v == null || !v.isNumber() ? null : v.asLong();
  }

  /** {@code limits.<name>} (perUserMax, maxGrants, maxPoints), or null when unlimited/absent. */
  Long limit(String name) {
    JsonNode v = json.path("limits").get(name);
    return v == null || !v.isNumber() || v.asLong() <= 0 ? null : v.asLong();
  }

  /** {@code schedule.<name>} (start, end) in epoch ms, or null. */
  Long schedule(String name) {
    JsonNode v = json.path("schedule").get(name);
    return v == null || !v.isNumber() ? null : v.asLong();
  }

  /** "granted/limit": {@code 120/10000}, or {@code 120/-} without a grant limit. */
  String grantedOfLimit() {
    Long max = limit("maxGrants");
    return stat("granted") + "/" + (max == null ? "-" : max.toString());
  }

  /** Codes left in the campaign's series, or "-" when the reward has none. */
  String inventoryLeft() {
    Long r = inventory("remaining");
    return r == null ? "-" : r.toString();
  }

  private String text(String field) {
    JsonNode v = json.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
