package io.promo.flow;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link PartitionClock}s of one events source in one task, with that task's {@link
 * PartitionEnd.Lookup}. The source's watermark generators (one per partition) and the event
 * gate chained to the source run in the task's thread, so a registry per thread lets them share
 * one clock per partition: the gate judges LATE by exactly the state the watermarks come from,
 * including whether a quiet partition was found at its end. Each task attempt has a thread of
 * its own, so a restarted task starts with fresh clocks; {@link Spec#id} keeps two sources (or
 * two tests on one thread) apart. The gate closes the registry, and with it the lookup, when
 * the task ends.
 */
final class PartitionClocks {
  /** What the generators and the gate of one source share; shipped with both. */
  record Spec(String id, long bound, long quietAfter, EventWatermarks.SerializableClock clock, PartitionEnd end)
      implements Serializable {}

  private record Key(String topic, int partition) {}

  private static final ThreadLocal<Map<String, PartitionClocks>> TASK = new ThreadLocal<>();

  /** This thread's registry for the source of {@code spec}, made on first use. */
  static PartitionClocks of(Spec spec) {
    Map<String, PartitionClocks> all = TASK.get();
    if (all == null) {
      all = new HashMap<>();
      TASK.set(all);
    }
    return all.computeIfAbsent(spec.id(), id -> new PartitionClocks(spec));
  }

  private final Spec spec;
  private final Map<Key, PartitionClock> clocks = new HashMap<>();
  private PartitionEnd.Lookup lookup;
  private boolean closed;

  private PartitionClocks(Spec spec) {
    this.spec = spec;
  }

  PartitionClock get(String topic, int partition) {
    return clocks.computeIfAbsent(new Key(topic, partition),
        k -> new PartitionClock(spec.bound(), spec.quietAfter(), next -> caughtUp(topic, partition, next)));
  }

  private CompletableFuture<Boolean> caughtUp(String topic, int partition, long nextOffset) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the task is closing"));
    }
    if (lookup == null) {
      lookup = spec.end().open();
    }
    return lookup.caughtUp(topic, partition, nextOffset);
  }

  /** Forgets this registry on this thread and closes the lookup (when the gate closes). */
  void close() {
    Map<String, PartitionClocks> all = TASK.get();
    if (all != null && all.get(spec.id()) == this) {
      all.remove(spec.id());
      if (all.isEmpty()) {
        TASK.remove();
      }
    }
    closed = true;
    if (lookup != null) {
      PartitionEnd.Lookup l = lookup;
      lookup = null;
      l.close();
    }
  }
}
