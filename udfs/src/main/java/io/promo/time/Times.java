package io.promo.time;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.time.format.DateTimeParseException;

/** Parsing of the contract's times and durations. Every method reports bad input by exception. */
public final class Times {
  private Times() {}

  /** Epoch milliseconds from a JSON number or an ISO-8601 instant (with Z or an offset). */
  public static long instant(JsonNode node) {
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("is missing");
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      double d = node.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.0E15) {
        return (long) d;
      }
      throw new IllegalArgumentException("must be epoch milliseconds (an integer)");
    }
    if (node.isTextual()) {
      return instant(node.textValue());
    }
    throw new IllegalArgumentException("must be epoch milliseconds or an ISO-8601 instant");
  }

  public static long instant(String text) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 instant");
      }
    }
  }

  /** Milliseconds of an ISO-8601 duration such as PT30M, P7D or P2W; must be positive. */
  public static long duration(String text) {
    if (text == null) {
      throw new IllegalArgumentException("is missing");
    }
    String t = text.trim().toUpperCase();
    try {
      long millis;
      if (t.matches("P\\d+W")) {
        millis = Duration.ofDays(7L * Long.parseLong(t.substring(1, t.length() - 1))).toMillis();
      } else {
        millis = Duration.parse(t).toMillis();
      }
      if (millis <= 0) {
        throw new IllegalArgumentException("'" + text + "' must be a positive duration");
      }
      return millis;
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an ISO-8601 duration such as PT30M or P7D (months and years are not allowed)");
    }
  }

  /** A local wall-clock time "HH:mm". */
  public static LocalTime localTime(String text) {
    try {
      return LocalTime.parse(text);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("'" + text + "' is not a local time HH:mm");
    }
  }

  /** The zone named by an IANA id, or null when it is not one. */
  public static ZoneId zoneOrNull(String id) {
    if (id == null) {
      return null;
    }
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, java.util.Optional<ZoneId>> ZONES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * {@link #zoneOrNull}, remembered: parsing a zone id on every event showed in profiles. Bounded,
   * since ids come from input: past 10,000 distinct ids it just parses.
   */
  public static ZoneId cachedZoneOrNull(String id) {
    if (id == null) {
      return null;
    }
    java.util.Optional<ZoneId> z = ZONES.get(id);
    if (z == null) {
      z = java.util.Optional.ofNullable(zoneOrNull(id));
      if (ZONES.size() < 10_000) {
        ZONES.put(id, z);
      }
    }
    return z.orElse(null);
  }

  /**
   * The hour (0–23) of an instant in a zone: {@code Instant.ofEpochMilli(t).atZone(zone).getHour()}
   * without building the date-time objects (the evaluator asks for every event).
   */
  public static int localHour(long epochMilli, ZoneId zone) {
    long local = Math.floorDiv(epochMilli, 1000L) + offsetSeconds(epochMilli, zone);
    return (int) (Math.floorMod(local, 86_400L) / 3600);
  }

  /** The ISO day of week (1 = Monday … 7 = Sunday) of an instant in a zone. */
  public static int localDayOfWeek(long epochMilli, ZoneId zone) {
    long local = Math.floorDiv(epochMilli, 1000L) + offsetSeconds(epochMilli, zone);
    long epochDay = Math.floorDiv(local, 86_400L);
    return (int) Math.floorMod(epochDay + 3, 7L) + 1; // 1970-01-01 was a Thursday
  }

  private static int offsetSeconds(long epochMilli, ZoneId zone) {
    if (zone instanceof ZoneOffset offset) {
      return offset.getTotalSeconds();
    }
    ZoneRules rules = zone.getRules();
    if (rules.isFixedOffset()) {
      return rules.getOffset(Instant.EPOCH).getTotalSeconds();
    }
    return rules.getOffset(Instant.ofEpochMilli(epochMilli)).getTotalSeconds();
  }
}
