package io.promo.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/** Small helpers over Flink's operator test harnesses. */
public final class Harnesses {
  private Harnesses() {}

  /** The records emitted on the main output since the last call (watermarks are left out). */
  @SuppressWarnings("unchecked")
  public static <T> List<T> drain(AbstractStreamOperatorTestHarness<T> h) {
    List<T> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        out.add((T) r.getValue());
      }
    }
    h.getOutput().clear();
    return out;
  }

  /** The records emitted on the main output since the last call, with their timestamps. */
  @SuppressWarnings("unchecked")
  public static <T> List<StreamRecord<T>> drainRecords(AbstractStreamOperatorTestHarness<T> h) {
    List<StreamRecord<T>> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        out.add((StreamRecord<T>) r);
      }
    }
    h.getOutput().clear();
    return out;
  }

  /** The records emitted on a side output since the last call. */
  public static <T> List<T> drain(AbstractStreamOperatorTestHarness<?> h, OutputTag<T> tag) {
    List<T> out = new ArrayList<>();
    ConcurrentLinkedQueue<StreamRecord<T>> q = h.getSideOutput(tag);
    if (q != null) {
      for (StreamRecord<T> r : q) {
        out.add(r.getValue());
      }
      q.clear();
    }
    return out;
  }

  /**
   * Keyed state entries of any keyed harness (the broadcast harnesses do not offer {@code
   * numKeyedStateEntries}); one per key and state, whatever the size of a map state.
   */
  public static int keyedStateEntries(AbstractStreamOperatorTestHarness<?> h) {
    KeyedStateBackend<?> backend = h.getOperator().getKeyedStateBackend();
    return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
  }
}
