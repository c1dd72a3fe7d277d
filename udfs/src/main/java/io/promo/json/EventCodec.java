package io.promo.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.promo.model.Event;
import io.promo.time.Times;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads an Event from its JSON, checking every rule of the contract; never throws on bad input. */
public final class EventCodec {
  private EventCodec() {}

  public static final int MAX_USER_ID = 256;

  /** An event, or why the input is not one. */
  public record Result(Event event, String error) {
    static Result ok(Event e) {
      return new Result(e, null);
    }

    static Result bad(String why) {
      return new Result(null, why);
    }
  }

  public static Result parse(byte[] value) {
    if (value == null) {
      return Result.bad("empty record (null value)");
    }
    JsonNode root;
    try (JsonParser p = Json.MAPPER.getFactory().createParser(value)) {
      root = Json.MAPPER.readTree(p);
      if (p.nextToken() != null) {
        return Result.bad("malformed JSON: trailing content after the object");
      }
    } catch (IOException e) {
      return Result.bad("malformed JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      return Result.bad("not a JSON object");
    }
    List<String> errors = new ArrayList<>(2);
    String eventId = requiredText(root, "eventId", 256, errors);
    String userId = requiredText(root, "userId", MAX_USER_ID, errors);
    String name = requiredText(root, "name", 256, errors);
    long ts = 0;
    try {
      ts = Times.instant(root.get("ts"));
    } catch (IllegalArgumentException e) {
      errors.add("ts " + e.getMessage());
    }
    Map<String, Object> props = properties(root.get("props"), "props", errors);
    Map<String, Object> profile = properties(root.get("profile"), "profile", errors);
    Object tz = profile.get("tz");
    if (tz != null && (!(tz instanceof String zone) || Times.zoneOrNull(zone) == null)) {
      errors.add("profile.tz must be an IANA time zone such as Asia/Kolkata");
    }
    if (!errors.isEmpty()) {
      return Result.bad(String.join("; ", errors));
    }
    return Result.ok(new Event(eventId, userId, name, ts, props, profile));
  }

  /** The JSON form of an event (for dead letters of events that were already parsed). */
  public static String toJson(Event e) {
    com.fasterxml.jackson.databind.node.ObjectNode n = Json.object();
    n.put("eventId", e.eventId()).put("userId", e.userId()).put("name", e.name()).put("ts", e.ts());
    n.set("props", Json.MAPPER.valueToTree(e.props()));
    n.set("profile", Json.MAPPER.valueToTree(e.profile()));
    return n.toString();
  }

  private static String requiredText(JsonNode root, String field, int maxLength, List<String> errors) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      errors.add(field + " is missing");
      return null;
    }
    if (!n.isTextual()) {
      errors.add(field + " must be a string");
      return null;
    }
    String s = n.textValue();
    if (s.isEmpty() || s.length() > maxLength) {
      errors.add(field + " must have 1 to " + maxLength + " characters");
      return null;
    }
    return s;
  }

  /** A props/profile object: scalars or arrays of scalars; numbers become doubles. */
  static Map<String, Object> properties(JsonNode node, String where, List<String> errors) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      errors.add(where + " must be an object");
      return Map.of();
    }
    Map<String, Object> out = new HashMap<>(node.size() * 2);
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isArray()) {
        List<Object> list = new ArrayList<>(v.size());
        for (JsonNode x : v) {
          Object s = scalar(x);
          if (s == null) {
            errors.add(where + "." + e.getKey() + " must hold only strings, numbers or booleans");
            break;
          }
          list.add(s);
        }
        out.put(e.getKey(), Collections.unmodifiableList(list));
      } else if (v.isNull()) {
        // An explicit null carries no value: skip it (a profile update cannot delete, by design).
      } else {
        Object s = scalar(v);
        if (s == null) {
          errors.add(where + "." + e.getKey() + " must be a string, number, boolean or an array of those");
        } else {
          out.put(e.getKey(), s);
        }
      }
    }
    return out;
  }

  /** The contract's scalar for a JSON node, or null when it is not a scalar. */
  public static Object scalar(JsonNode v) {
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
