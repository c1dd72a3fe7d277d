package io.promo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.promo.json.Json;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Small formatting helpers shared by the commands. */
final class Format {
  private Format() {}

  /** Epoch ms as an ISO instant in UTC, to the second (to the milli when it has millis and {@code millis}). */
  static String time(long epochMs) {
    return time(epochMs, false);
  }

  static String time(long epochMs, boolean millis) {
    Instant t = Instant.ofEpochMilli(epochMs);
    return DateTimeFormatter.ISO_INSTANT.format(millis ? t : t.truncatedTo(ChronoUnit.SECONDS));
  }

  static String time(JsonNode n) {
    return n == null || !n.isNumber() ? "-" : time(n.asLong());
  }

  static String pretty(JsonNode n) {
    try {
      return Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(n);
    } catch (JsonProcessingException e) {
      return n.toString();
    }
  }

  /** At most {@code shown} lines of {@code lines}, then "... and N more". */
  static String bullets(List<String> lines, int shown) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(shown, lines.size()); i++) {
      sb.append("  - ").append(lines.get(i)).append('\n');
    }
    if (lines.size() > shown) {
      sb.append("  ... and ").append(lines.size() - shown).append(" more\n");
    }
    return sb.toString();
  }

  static String plural(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
