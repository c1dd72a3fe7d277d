package io.promo.flow;

import static io.promo.testing.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.lang.Delivery;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeliveryPlannerTest {
  private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Delivery atLocal(String time, boolean drop) {
    return new Delivery(Delivery.AT_LOCAL_TIME, LocalTime.parse(time), drop, null, null);
  }

  private static Delivery bestTime(String fallback) {
    return new Delivery(Delivery.BEST_TIME, LocalTime.parse(fallback), false, null, null);
  }

  private static Delivery quiet(Delivery d, String from, String to) {
    return new Delivery(d.mode(), d.time(), d.dropMissed(), LocalTime.parse(from), LocalTime.parse(to));
  }

  private static int[] hours(int... countsByHourPairs) {
    int[] h = new int[24];
    for (int i = 0; i < countsByHourPairs.length; i += 2) {
      h[countsByHourPairs[i]] = countsByHourPairs[i + 1];
    }
    return h;
  }

  @Test
  void immediateIsAtTheQualification() {
    long t = at("2026-12-01T13:14:15Z");
    assertThat(DeliveryPlanner.plan(Delivery.DEFAULT, t, KOLKATA, null)).isEqualTo(t);
  }

  @Test
  void atLocalTimeLaterTodayOrExactlyNow() {
    assertThat(DeliveryPlanner.plan(atLocal("10:00", true), at("2026-12-01T09:59:00Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-01T10:00:00Z"));
    assertThat(DeliveryPlanner.plan(atLocal("10:00", true), at("2026-12-01T10:00:00Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-01T10:00:00Z"));
    // 02:00Z is 07:30 in Kolkata: 10:00 there is 04:30Z.
    assertThat(DeliveryPlanner.plan(atLocal("10:00", false), at("2026-12-01T02:00:00Z"), KOLKATA, null))
        .isEqualTo(at("2026-12-01T04:30:00Z"));
  }

  @Test
  void atLocalTimeMissedGoesToTheNextDayOrIsDropped() {
    assertThat(DeliveryPlanner.plan(atLocal("10:00", false), at("2026-12-01T10:00:01Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-02T10:00:00Z"));
    assertThat(DeliveryPlanner.plan(atLocal("10:00", true), at("2026-12-01T10:00:01Z"), ZoneOffset.UTC, null))
        .isEqualTo(DeliveryPlanner.DROPPED);
    // 20:00Z on Dec 1 is already Dec 2, 01:30 in Kolkata: 10:00 of Dec 2 there is still to come.
    assertThat(DeliveryPlanner.plan(atLocal("10:00", true), at("2026-12-01T20:00:00Z"), KOLKATA, null))
        .isEqualTo(at("2026-12-02T04:30:00Z"));
  }

  @Test
  void atLocalTimeAcrossADaylightSavingChange() {
    // Berlin moves from +01:00 to +02:00 on 2026-03-29: "10:00 tomorrow" is 08:00Z, not 09:00Z.
    assertThat(DeliveryPlanner.plan(atLocal("10:00", false), at("2026-03-28T12:00:00Z"), BERLIN, null))
        .isEqualTo(at("2026-03-29T08:00:00Z"));
    // 02:30 does not exist that night; it is delivered at the first instant after the gap (03:30 +02:00).
    assertThat(DeliveryPlanner.plan(atLocal("02:30", false), at("2026-03-28T23:30:00Z"), BERLIN, null))
        .isEqualTo(at("2026-03-29T01:30:00Z"));
  }

  @Test
  void bestTimeFallsBackWithoutEnoughHistory() {
    assertThat(DeliveryPlanner.plan(bestTime("18:00"), at("2026-12-01T09:00:00Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-01T18:00:00Z"));
    assertThat(DeliveryPlanner.plan(bestTime("18:00"), at("2026-12-01T09:00:00Z"), ZoneOffset.UTC, hours(7, 4)))
        .isEqualTo(at("2026-12-01T18:00:00Z"));
    assertThat(DeliveryPlanner.plan(bestTime("18:00"), at("2026-12-01T18:30:00Z"), ZoneOffset.UTC, hours(7, 4)))
        .isEqualTo(at("2026-12-02T18:00:00Z"));
  }

  @Test
  void bestTimeIsTheMostActiveHourWithEnoughHistory() {
    int[] mostlyAt7 = hours(7, 3, 21, 2);
    assertThat(DeliveryPlanner.plan(bestTime("18:00"), at("2026-12-01T05:00:00Z"), ZoneOffset.UTC, mostlyAt7))
        .isEqualTo(at("2026-12-01T07:00:00Z"));
    assertThat(DeliveryPlanner.plan(bestTime("18:00"), at("2026-12-01T07:45:00Z"), ZoneOffset.UTC, mostlyAt7))
        .isEqualTo(at("2026-12-01T07:45:00Z"));
    assertThat(DeliveryPlanner.plan(bestTime("18:00"), at("2026-12-01T08:00:00Z"), ZoneOffset.UTC, mostlyAt7))
        .isEqualTo(at("2026-12-02T07:00:00Z"));
    // Local hours: 07:00 in Kolkata is 01:30Z.
    assertThat(DeliveryPlanner.plan(bestTime("18:00"), at("2026-12-01T00:00:00Z"), KOLKATA, mostlyAt7))
        .isEqualTo(at("2026-12-01T01:30:00Z"));
  }

  @Test
  void bestHourNeedsFiveEventsAndPrefersTheEarlierHourOnATie() {
    assertThat(DeliveryPlanner.bestHour(null)).isEqualTo(-1);
    assertThat(DeliveryPlanner.bestHour(hours(9, 4))).isEqualTo(-1);
    assertThat(DeliveryPlanner.bestHour(hours(9, 5))).isEqualTo(9);
    assertThat(DeliveryPlanner.bestHour(hours(9, 3, 20, 3))).isEqualTo(9);
    assertThat(DeliveryPlanner.bestHour(hours(0, 1, 23, 4))).isEqualTo(23);
  }

  @Test
  void quietHoursWrappingMidnightDeferToTheirEnd() {
    Delivery d = quiet(Delivery.DEFAULT, "22:00", "08:00");
    assertThat(DeliveryPlanner.plan(d, at("2026-12-01T21:59:59Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-01T21:59:59Z"));
    assertThat(DeliveryPlanner.plan(d, at("2026-12-01T22:00:00Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-02T08:00:00Z"));
    assertThat(DeliveryPlanner.plan(d, at("2026-12-01T23:30:00Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-02T08:00:00Z"));
    assertThat(DeliveryPlanner.plan(d, at("2026-12-02T03:00:00Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-02T08:00:00Z"));
    assertThat(DeliveryPlanner.plan(d, at("2026-12-02T08:00:00Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-02T08:00:00Z"));
    // In Kolkata, 17:00Z is 22:30 local: deferred to 08:00 local next day = 02:30Z.
    assertThat(DeliveryPlanner.plan(d, at("2026-12-01T17:00:00Z"), KOLKATA, null))
        .isEqualTo(at("2026-12-02T02:30:00Z"));
  }

  @Test
  void quietHoursWithinADay() {
    Delivery d = quiet(Delivery.DEFAULT, "12:00", "14:00");
    assertThat(DeliveryPlanner.plan(d, at("2026-12-01T11:59:00Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-01T11:59:00Z"));
    assertThat(DeliveryPlanner.plan(d, at("2026-12-01T13:00:00Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-01T14:00:00Z"));
    assertThat(DeliveryPlanner.plan(d, at("2026-12-01T14:00:00Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-01T14:00:00Z"));
  }

  @Test
  void quietHoursApplyToThePlannedTimeNotTheQualification() {
    Delivery d = quiet(atLocal("23:00", false), "22:00", "08:00");
    assertThat(DeliveryPlanner.plan(d, at("2026-12-01T10:00:00Z"), ZoneOffset.UTC, null))
        .isEqualTo(at("2026-12-02T08:00:00Z"));
  }
}
