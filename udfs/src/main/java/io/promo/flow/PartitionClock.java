package io.promo.flow;

/**
 * Event time of one Kafka partition: bounded out-of-orderness while its events flow; once it
 * has been quiet for {@code quietAfter}, the wall clock less the bound. Shared by the watermark
 * generator and the event gate, so that LATE means exactly "behind its own partition's event
 * time".
 */
final class PartitionClock {
  private final long bound;
  private final long quietAfter;
  private long maxTs = Long.MIN_VALUE;
  private long lastEventAt;

  PartitionClock(long bound, long quietAfter) {
    this.bound = bound;
    this.quietAfter = quietAfter;
  }

  void onEvent(long ts, long now) {
    maxTs = Math.max(maxTs, ts);
    lastEventAt = now;
  }

  boolean seen() {
    return maxTs != Long.MIN_VALUE;
  }

  /** The partition's event time at wall-clock {@code now}; Long.MIN_VALUE before its first event. */
  long watermark(long now) {
    if (!seen()) {
      return Long.MIN_VALUE;
    }
    long wm = maxTs - bound - 1;
    return now - lastEventAt >= quietAfter ? Math.max(wm, now - bound - 1) : wm;
  }
}
