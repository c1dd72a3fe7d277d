package io.promo.lang;

import java.time.LocalTime;

/**
 * When a grant is delivered. Local times are in the user's zone.
 *
 * @param mode IMMEDIATE, AT_LOCAL_TIME or BEST_TIME
 * @param time the local time for AT_LOCAL_TIME, the fallback time for BEST_TIME
 * @param dropMissed AT_LOCAL_TIME: drop (true) or deliver next day (false) when today's time passed
 * @param quietFrom start of quiet hours, or null
 * @param quietTo end of quiet hours, or null
 */
public record Delivery(String mode, LocalTime time, boolean dropMissed, LocalTime quietFrom, LocalTime quietTo) {
  public static final String IMMEDIATE = "IMMEDIATE";
  public static final String AT_LOCAL_TIME = "AT_LOCAL_TIME";
  public static final String BEST_TIME = "BEST_TIME";

  public static final Delivery DEFAULT = new Delivery(IMMEDIATE, null, false, null, null);
}
