package io.promo.flow;

import java.util.Set;

/** The campaign lifecycle of the contract: statuses, allowed commands, automatic transitions. */
public final class Lifecycle {
  private Lifecycle() {}

  public static final String DRAFT = "DRAFT";
  public static final String SCHEDULED = "SCHEDULED";
  public static final String RUNNING = "RUNNING";
  public static final String PAUSED = "PAUSED";
  public static final String STOPPED = "STOPPED";
  public static final String COMPLETED = "COMPLETED";
  public static final String ARCHIVED = "ARCHIVED";

  private static final Set<String> FINAL = Set.of(STOPPED, COMPLETED, ARCHIVED);

  /** The status at time {@code t}, applying the schedule's automatic transitions. */
  public static String effective(String status, Long start, Long end, long t) {
    if (SCHEDULED.equals(status) && start != null && t >= start) {
      status = RUNNING;
    }
    if ((RUNNING.equals(status) || PAUSED.equals(status)) && end != null && t >= end) {
      return COMPLETED;
    }
    return status;
  }

  public static boolean isFinal(String status) {
    return FINAL.contains(status);
  }

  /** The commands a status allows (upsert, publish, pause, resume, stop, archive). */
  public static Set<String> allowed(String status) {
    return switch (status) {
      case DRAFT -> Set.of("upsert", "publish", "archive");
      case SCHEDULED -> Set.of("upsert", "stop");
      case RUNNING -> Set.of("upsert", "pause", "stop");
      case PAUSED -> Set.of("upsert", "resume", "stop");
      case STOPPED, COMPLETED -> Set.of("archive");
      default -> Set.of();
    };
  }
}
