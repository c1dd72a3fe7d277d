package io.promo.flow;

import io.promo.lang.Delivery;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** When a qualification is delivered, in the user's zone. Pure. */
public final class DeliveryPlanner {
  private DeliveryPlanner() {}

  /** Returned when AT_LOCAL_TIME with missed=DROP has passed today's time. */
  public static final long DROPPED = Long.MIN_VALUE;

  /** Events a user needs before BEST_TIME trusts their most active hour over the fallback. */
  public static final int BEST_TIME_MIN_EVENTS = 5;

  public static long plan(Delivery d, long qualifiedAt, ZoneId zone, int[] hours) {
    ZonedDateTime now = Instant.ofEpochMilli(qualifiedAt).atZone(zone);
    ZonedDateTime due;
    switch (d.mode()) {
      case Delivery.AT_LOCAL_TIME -> {
        ZonedDateTime today = at(now.toLocalDate(), d.time(), zone);
        if (!today.isBefore(now)) {
          due = today;
        } else if (d.dropMissed()) {
          return DROPPED;
        } else {
          due = at(now.toLocalDate().plusDays(1), d.time(), zone);
        }
      }
      case Delivery.BEST_TIME -> {
        int hour = bestHour(hours);
        LocalTime target = hour < 0 ? d.time() : LocalTime.of(hour, 0);
        if (hour >= 0 && now.getHour() == hour) {
          due = now;
        } else {
          ZonedDateTime today = at(now.toLocalDate(), target, zone);
          due = today.isBefore(now) ? at(now.toLocalDate().plusDays(1), target, zone) : today;
        }
      }
      default -> due = now;
    }
    return outOfQuietHours(d, due, zone).toInstant().toEpochMilli();
  }

  /** The user's most active local hour, or -1 without enough history. */
  static int bestHour(int[] hours) {
    if (hours == null) {
      return -1;
    }
    int total = 0;
    int best = -1;
    for (int h = 0; h < 24; h++) {
      total += hours[h];
      if (hours[h] > 0 && (best < 0 || hours[h] > hours[best])) {
        best = h;
      }
    }
    return total >= BEST_TIME_MIN_EVENTS ? best : -1;
  }

  /** Defers a delivery due inside quiet hours [from, to) to the next {@code to}. */
  static ZonedDateTime outOfQuietHours(Delivery d, ZonedDateTime due, ZoneId zone) {
    if (d.quietFrom() == null) {
      return due;
    }
    LocalTime t = due.toLocalTime();
    LocalTime from = d.quietFrom();
    LocalTime to = d.quietTo();
    boolean wraps = from.isAfter(to);
    boolean quiet = wraps ? (!t.isBefore(from) || t.isBefore(to)) : (!t.isBefore(from) && t.isBefore(to));
    if (!quiet) {
      return due;
    }
    LocalDate day = due.toLocalDate();
    if (wraps && !t.isBefore(from)) {
      day = day.plusDays(1);
    }
    return at(day, to, zone);
  }

  private static ZonedDateTime at(LocalDate day, LocalTime time, ZoneId zone) {
    return ZonedDateTime.of(day, time, zone);
  }
}
