package io.promo.flow;

import java.io.Serializable;
import java.util.concurrent.CompletableFuture;

/**
 * Tells whether the reader of an events partition has read everything there is to read, so that
 * a quiet partition's event time may follow the wall clock: quiet because it is at its end, not
 * because the source stalled with a backlog (backpressure, a long GC or checkpoint, a slow
 * fetch). Implemented with a Kafka consumer by the job; sources with no end to ask use {@link
 * #ALWAYS}.
 */
@FunctionalInterface
public interface PartitionEnd extends Serializable {
  /** The lookups of one reader (one source subtask): opened in its task, closed with it. */
  Lookup open();

  /** Lookups for one reader; used from the task's thread only. */
  interface Lookup extends AutoCloseable {
    /**
     * Whether a reader whose next record is at {@code nextOffset} has, right now, read every
     * record it can get (for Kafka, read_committed: transaction markers and aborted records do
     * not count). Must not block: the answer may come later. Completes exceptionally when it
     * cannot tell; event time then follows the wall clock as if the partition were caught up
     * (what it did before the end was asked).
     */
    CompletableFuture<Boolean> caughtUp(String topic, int partition, long nextOffset);

    @Override
    default void close() {}
  }

  /**
   * For sources with no end to ask (generators in tests and the benchmark): a quiet partition
   * counts as caught up, so its event time follows the wall clock after {@code quiet-after}.
   */
  PartitionEnd ALWAYS = new Always();

  /** {@link #ALWAYS}, as a class so that it survives serialization as the one instance. */
  final class Always implements PartitionEnd {
    private static final long serialVersionUID = 1L;
    private static final CompletableFuture<Boolean> YES = CompletableFuture.completedFuture(true);

    private Always() {}

    @Override
    public Lookup open() {
      return (topic, partition, nextOffset) -> YES;
    }

    private Object readResolve() {
      return ALWAYS;
    }
  }
}
