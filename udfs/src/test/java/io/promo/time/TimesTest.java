package io.promo.time;

import static io.promo.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimesTest {

  @ParameterizedTest
  @CsvSource({
    "PT30M, 1800000",
    "PT1S, 1000",
    "PT0.5S, 500",
    "P7D, 604800000",
    "P1DT12H, 129600000",
    "P2W, 1209600000",
    "p1d, 86400000",
    "' PT1H ', 3600000",
  })
  void durations(String text, long millis) {
    assertThat(Times.duration(text)).isEqualTo(millis);
  }

  @ParameterizedTest
  @CsvSource({"P1M", "P1Y", "30m", "PT", "P1W2D", "''", "P99999999999999999999W", "P9999999999999999W"})
  void notIsoDurations(String text) {
    assertThatThrownBy(() -> Times.duration(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + text + "' is not an ISO-8601 duration such as PT30M or P7D (months and years are not allowed)");
  }

  @ParameterizedTest
  @CsvSource({"PT0S", "-PT5M", "P0W"})
  void nonPositiveDurations(String text) {
    assertThatThrownBy(() -> Times.duration(text)).hasMessage("'" + text + "' must be a positive duration");
  }

  @Test
  void missingDuration() {
    assertThatThrownBy(() -> Times.duration(null)).hasMessage("is missing");
  }

  @Test
  void instants() {
    assertThat(Times.instant(json("1764324900000"))).isEqualTo(1764324900000L);
    assertThat(Times.instant(json("'2025-11-28T10:15:00Z'"))).isEqualTo(1764324900000L);
    assertThat(Times.instant(json("'2025-11-28T10:15:00.250Z'"))).isEqualTo(1764324900250L);
    assertThat(Times.instant(json("'2025-11-28T11:15:00+01:00'"))).isEqualTo(1764324900000L);
    assertThat(Times.instant(json("-1"))).isEqualTo(-1L);
    assertThatThrownBy(() -> Times.instant(json("'2025-11-28'"))).hasMessage("'2025-11-28' is not an ISO-8601 instant");
    assertThatThrownBy(() -> Times.instant(json("'2025-11-28T10:15:00'")))
        .hasMessage("'2025-11-28T10:15:00' is not an ISO-8601 instant");
    assertThatThrownBy(() -> Times.instant(json("null"))).hasMessage("is missing");
    assertThatThrownBy(() -> Times.instant((com.fasterxml.jackson.databind.JsonNode) null)).hasMessage("is missing");
    assertThatThrownBy(() -> Times.instant(json("[1]")))
        .hasMessage("must be epoch milliseconds or an ISO-8601 instant");
  }

  @Test
  void localTimesAndZones() {
    assertThat(Times.localTime("07:05")).isEqualTo(LocalTime.of(7, 5));
    assertThatThrownBy(() -> Times.localTime("7am")).hasMessage("'7am' is not a local time HH:mm");
    assertThatThrownBy(() -> Times.localTime(null)).hasMessage("'null' is not a local time HH:mm");
    assertThat(Times.zoneOrNull("Asia/Kolkata")).isEqualTo(ZoneId.of("Asia/Kolkata"));
    assertThat(Times.zoneOrNull("Asia/Nowhere")).isNull();
    assertThat(Times.zoneOrNull(null)).isNull();
  }

  @Test
  void localHourAndDayOfWeekAgreeWithJavaTime() {
    java.util.Random r = new java.util.Random(7);
    List<java.time.ZoneId> zones = List.of(java.time.ZoneOffset.UTC, java.time.ZoneOffset.ofHoursMinutes(5, 45),
        java.time.ZoneOffset.ofHours(-11), java.time.ZoneId.of("Europe/Paris"), java.time.ZoneId.of("America/Los_Angeles"),
        java.time.ZoneId.of("Australia/Lord_Howe"), java.time.ZoneId.of("Asia/Kolkata"), java.time.ZoneId.of("Etc/GMT+3"));
    long[] fixed = {0, -1, 1, 86_399_999, -86_400_000, 1_774_746_000_000L, 1_774_746_000_000L - 1, 1_792_890_000_000L};
    for (int i = 0; i < 20_000; i++) {
      long t = i < fixed.length ? fixed[i] : r.nextLong() % 4_000_000_000_000L;
      for (java.time.ZoneId z : zones) {
        java.time.ZonedDateTime local = java.time.Instant.ofEpochMilli(t).atZone(z);
        assertThat(Times.localHour(t, z)).as("%d in %s", t, z).isEqualTo(local.getHour());
        assertThat(Times.localDayOfWeek(t, z)).as("%d in %s", t, z).isEqualTo(local.getDayOfWeek().getValue());
      }
    }
  }
}
