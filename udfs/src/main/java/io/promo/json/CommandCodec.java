package io.promo.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.lang.CampaignParser;
import io.promo.model.Command;
import io.promo.time.Times;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a command and checks everything that can be checked without the campaign's current
 * state (the lifecycle rules are the registry's). Never throws on bad input.
 */
public final class CommandCodec {
  private CommandCodec() {}

  public static final int MAX_CODES_PER_UPLOAD = 100_000;

  /** A command (possibly with errors), and whether the record was not even a JSON object. */
  public record Result(Command command, boolean unreadable) {}

  public static Result parse(String topic, int partition, long offset, long recordTimestamp, byte[] value) {
    JsonNode root;
    try {
      root = value == null ? null : Json.MAPPER.readTree(value);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      Command c = new Command(null, null, null, recordTimestamp, null, null, null, null, List.of(), null, null,
          List.of(), List.of("the command is not a JSON object"), topic, partition, offset,
          value == null ? "" : Json.payloadText(value));
      return new Result(c, true);
    }
    List<String> errors = new ArrayList<>();
    String type = text(root, "type", errors, true);
    String commandId = text(root, "commandId", errors, true);
    String actor = text(root, "actor", errors, false);
    long at = recordTimestamp;
    if (root.hasNonNull("at")) {
      try {
        at = Times.instant(root.get("at"));
      } catch (IllegalArgumentException e) {
        errors.add("at " + e.getMessage());
      }
    }
    String campaignId = null;
    String campaignJson = null;
    String series = null;
    String partner = null;
    List<String> codes = List.of();
    Long expiresAt = null;
    String list = null;
    List<String> userIds = List.of();
    if (type != null) {
      switch (type) {
        case Command.UPSERT -> {
          JsonNode campaign = root.get("campaign");
          CampaignParser.Result parsed = CampaignParser.parse(campaign);
          errors.addAll(parsed.errors());
          if (campaign != null && campaign.hasNonNull("id") && campaign.get("id").isTextual()) {
            campaignId = campaign.get("id").textValue();
          }
          if (campaign != null && campaign.isObject()) {
            campaignJson = Json.canonical(campaign);
          }
        }
        case Command.PUBLISH, Command.PAUSE, Command.RESUME, Command.STOP, Command.ARCHIVE ->
            campaignId = text(root, "campaignId", errors, true);
        case Command.CODES_UPLOAD -> {
          series = text(root, "series", errors, true);
          partner = text(root, "partner", errors, false);
          codes = strings(root.get("codes"), "codes", 256, errors);
          if (codes.size() > MAX_CODES_PER_UPLOAD) {
            errors.add("codes: at most " + MAX_CODES_PER_UPLOAD + " codes per command; split the upload into chunks");
          }
          if (root.hasNonNull("expiresAt")) {
            try {
              expiresAt = Times.instant(root.get("expiresAt"));
            } catch (IllegalArgumentException e) {
              errors.add("expiresAt " + e.getMessage());
            }
          }
        }
        case Command.LIST_ADD, Command.LIST_REMOVE -> {
          list = text(root, "list", errors, true);
          userIds = strings(root.get("userIds"), "userIds", EventCodec.MAX_USER_ID, errors);
        }
        default -> errors.add("type '" + type + "' is not a command (campaign.upsert, campaign.publish, "
            + "campaign.pause, campaign.resume, campaign.stop, campaign.archive, codes.upload, list.add, list.remove)");
      }
    }
    return new Result(
        new Command(type, commandId, actor, at, campaignId, campaignJson, series, partner, codes, expiresAt, list,
            userIds, List.copyOf(errors), topic, partition, offset, null),
        false);
  }

  private static String text(JsonNode n, String field, List<String> errors, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        errors.add(field + " is missing");
      }
      return null;
    }
    if (!v.isTextual() || v.textValue().isBlank()) {
      errors.add(field + " must be a non-empty string");
      return null;
    }
    return v.textValue();
  }

  /** A non-empty array of non-empty strings; repeats within it are dropped. */
  private static List<String> strings(JsonNode v, String field, int maxLength, List<String> errors) {
    if (v == null || !v.isArray() || v.isEmpty()) {
      errors.add(field + " must be a non-empty array of strings");
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode x : v) {
      if (!x.isTextual() || x.textValue().isEmpty() || x.textValue().length() > maxLength) {
        errors.add(field + " must hold only strings of 1 to " + maxLength + " characters");
        return List.of();
      }
      out.add(x.textValue());
    }
    return List.copyOf(out);
  }
}
