package io.promo.flow;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Event time of one Kafka partition: bounded out-of-orderness while its events flow; once it
 * has been quiet for {@code quietAfter} <em>and</em> its reader was found at the partition's end,
 * the wall clock less the bound. Quiet alone is not enough: a source stalled with a backlog
 * (backpressure, a long GC or checkpoint, a slow fetch) is quiet too, and following the wall
 * clock then would make the rest of a replay late and fire inaction deadlines before the events
 * that cancel them.
 *
 * <p>One instance per partition and task, shared by the watermark generator and the event gate
 * ({@link PartitionClocks}), so that LATE means exactly "behind its own partition's event time".
 * Only the generator drives the end lookup ({@link #tick}, on its periodic emit): at most one
 * lookup per {@code quietAfter}, only while the partition is quiet, never per event. A lookup
 * that fails counts as caught up (the behaviour before the end was asked).
 */
final class PartitionClock {
  /** Asks whether the partition's reader, next reading {@code nextOffset}, is at its end. */
  @FunctionalInterface
  interface End {
    CompletableFuture<Boolean> caughtUp(long nextOffset);
  }

  private final long bound;
  private final long quietAfter;
  private final End end;
  private long maxTs = Long.MIN_VALUE;
  private long lastEventAt;
  /** The offset after the last record read (events or not); -1 before the first. */
  private long nextOffset = -1;
  /** Found at its end during the current quiet spell: event time follows the wall clock. */
  private boolean caughtUp;
  /** The lookup in flight, if any. */
  private CompletableFuture<Boolean> lookup;
  private boolean asked;
  private long askedAt;

  PartitionClock(long bound, long quietAfter, End end) {
    this.bound = bound;
    this.quietAfter = quietAfter;
    this.end = end;
  }

  /** Any record read from the partition, an event or not. */
  void onRecord(long offset) {
    nextOffset = Math.max(nextOffset, offset + 1);
  }

  /** An event (a readable record): the partition is not quiet; what was asked is moot. */
  void onEvent(long ts, long now) {
    maxTs = Math.max(maxTs, ts);
    lastEventAt = now;
    caughtUp = false;
    lookup = null;
    asked = false;
  }

  boolean seen() {
    return maxTs != Long.MIN_VALUE;
  }

  /** Whether the partition's event time follows the wall clock (quiet and at its end). */
  boolean followsWallClock() {
    return caughtUp;
  }

  /**
   * Advances the end lookup of a quiet partition: starts one when the partition has been quiet
   * for {@code quietAfter} and the last one is at least {@code quietAfter} old, and takes its
   * answer once it is there. Called by the watermark generator on each periodic emit.
   */
  void tick(long now) {
    if (!seen() || caughtUp || now - lastEventAt < quietAfter) {
      return;
    }
    if (lookup == null && (!asked || now - askedAt >= quietAfter)) {
      asked = true;
      askedAt = now;
      try {
        lookup = end.caughtUp(nextOffset);
      } catch (RuntimeException e) {
        lookup = CompletableFuture.failedFuture(e);
      }
      if (lookup == null) {
        lookup = CompletableFuture.failedFuture(new IllegalStateException("no answer"));
      }
    }
    if (lookup != null && lookup.isDone()) {
      caughtUp = answer(lookup);
      lookup = null;
    }
  }

  /** The answer of a finished lookup; one that failed counts as caught up. */
  private static boolean answer(CompletableFuture<Boolean> done) {
    try {
      return !Boolean.FALSE.equals(done.getNow(Boolean.TRUE));
    } catch (CompletionException | CancellationException e) {
      return true;
    }
  }

  /** The partition's event time at wall-clock {@code now}; Long.MIN_VALUE before its first event. */
  long watermark(long now) {
    if (!seen()) {
      return Long.MIN_VALUE;
    }
    long wm = maxTs - bound - 1;
    return caughtUp ? Math.max(wm, now - bound - 1) : wm;
  }
}
