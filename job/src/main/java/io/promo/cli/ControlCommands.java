package io.promo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promo.json.CommandCodec;
import io.promo.json.Json;
import io.promo.model.Command;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Builds the commands of {@code promo.control} (CONTRACT §3): each with a fresh commandId and the
 * operator as actor, keyed by its campaign, series or list. Every command is checked with the
 * job's own reader ({@link CommandCodec}) before it leaves, so promoctl never writes one the job
 * would reject as malformed.
 */
final class ControlCommands {
  private ControlCommands() {}

  /** A command ready to send. */
  record Built(String type, String commandId, String key, ObjectNode json) {
    KafkaAccess.Outgoing record() {
      return new KafkaAccess.Outgoing(key, Json.string(json));
    }
  }

  static String newCommandId() {
    return UUID.randomUUID().toString();
  }

  private static ObjectNode header(String type, String commandId, String actor) {
    ObjectNode n = Json.object();
    n.put("type", type);
    n.put("commandId", commandId);
    if (actor != null && !actor.isBlank()) {
      n.put("actor", actor);
    }
    return n;
  }

  static Built upsert(String actor, String campaignId, JsonNode campaign) {
    String id = newCommandId();
    ObjectNode n = header(Command.UPSERT, id, actor);
    n.set("campaign", campaign);
    return checked(new Built(Command.UPSERT, id, campaignId, n));
  }

  /** campaign.publish / pause / resume / stop / archive. */
  static Built lifecycle(String type, String actor, String campaignId) {
    String id = newCommandId();
    ObjectNode n = header(type, id, actor);
    n.put("campaignId", campaignId);
    return checked(new Built(type, id, campaignId, n));
  }

  static Built codesUpload(String actor, String series, String partner, Long expiresAt, List<String> codes) {
    String id = newCommandId();
    ObjectNode n = header(Command.CODES_UPLOAD, id, actor);
    n.put("series", series);
    if (partner != null) {
      n.put("partner", partner);
    }
    if (expiresAt != null) {
      n.put("expiresAt", expiresAt);
    }
    ArrayNode a = n.putArray("codes");
    codes.forEach(a::add);
    return checked(new Built(Command.CODES_UPLOAD, id, series, n));
  }

  /** list.add / list.remove. */
  static Built listChange(String type, String actor, String list, List<String> userIds) {
    String id = newCommandId();
    ObjectNode n = header(type, id, actor);
    n.put("list", list);
    ArrayNode a = n.putArray("userIds");
    userIds.forEach(a::add);
    return checked(new Built(type, id, list, n));
  }

  private static Built checked(Built b) {
    Command c = CommandCodec.parse("promoctl", 0, 0, System.currentTimeMillis(),
        Json.string(b.json()).getBytes(StandardCharsets.UTF_8)).command();
    if (!c.valid()) {
      throw CliException.invalid(b.type() + " is not valid:\n  - " + String.join("\n  - ", c.errors()));
    }
    return b;
  }
}
