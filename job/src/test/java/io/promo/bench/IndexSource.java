package io.promo.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded FLIP-27 source over records 0..n-1 of an in-memory {@link Feed} (pre-serialized
 * JSON, or a paced generator), decoded in the reader thread exactly as the Kafka deserializers
 * do. It costs almost nothing per record, so a run measures the job, not the input.
 */
final class IndexSource<T> implements Source<T, IndexSource.Range, Integer>, ResultTypeQueryable<T> {
  private static final long serialVersionUID = 1L;

  /** The records of a source: bytes by index; a paced feed also says when each is due. */
  interface Feed {
    long size();

    byte[] bytes(long index, long nowMillis);

    /** Nanoseconds after the first emission at which record {@code index} is due (0 = now). */
    default long dueNanos(long index) {
      return 0;
    }
  }

  /** Turns a record's bytes into the source's type, as the Kafka deserializer would. */
  interface Decoder<T> extends Serializable {
    T decode(long index, byte[] value, long nowMillis);

    /** The record timestamp Kafka would carry (the watermark strategy may assign its own). */
    default long timestamp(T record, long nowMillis) {
      return nowMillis;
    }
  }

  private final String feedId;
  private final String probeId;
  private final Decoder<T> decoder;
  private final TypeInformation<T> type;

  IndexSource(String feedId, String probeId, Decoder<T> decoder, TypeInformation<T> type) {
    this.feedId = feedId;
    this.probeId = probeId;
    this.decoder = decoder;
    this.type = type;
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return type;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SourceReader<T, Range> createReader(SourceReaderContext ctx) {
    return new Reader<>(Probe.<Feed>data(feedId), probeId == null ? null : Probe.get(probeId), decoder);
  }

  @Override
  public SplitEnumerator<Range, Integer> createEnumerator(SplitEnumeratorContext<Range> ctx) {
    return new Enumerator(ctx, Probe.<Feed>data(feedId).size());
  }

  @Override
  public SplitEnumerator<Range, Integer> restoreEnumerator(SplitEnumeratorContext<Range> ctx, Integer checkpoint) {
    return createEnumerator(ctx);
  }

  @Override
  public SimpleVersionedSerializer<Range> getSplitSerializer() {
    return new RangeSerializer();
  }

  @Override
  public SimpleVersionedSerializer<Integer> getEnumeratorCheckpointSerializer() {
    return new SimpleVersionedSerializer<>() {
      @Override
      public int getVersion() {
        return 1;
      }

      @Override
      public byte[] serialize(Integer v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) (int) v};
      }

      @Override
      public Integer deserialize(int version, byte[] b) {
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
      }
    };
  }

  /** Indices [next, end) of the feed. */
  static final class Range implements SourceSplit {
    final String id;
    long next;
    final long end;

    Range(String id, long next, long end) {
      this.id = id;
      this.next = next;
      this.end = end;
    }

    @Override
    public String splitId() {
      return id;
    }
  }

  static final class RangeSerializer implements SimpleVersionedSerializer<Range> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(Range r) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(b)) {
        out.writeUTF(r.id);
        out.writeLong(r.next);
        out.writeLong(r.end);
      }
      return b.toByteArray();
    }

    @Override
    public Range deserialize(int version, byte[] bytes) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
        return new Range(in.readUTF(), in.readLong(), in.readLong());
      }
    }
  }

  /** One contiguous range per reader; nothing else to hand out. */
  static final class Enumerator implements SplitEnumerator<Range, Integer> {
    private final SplitEnumeratorContext<Range> ctx;
    private final long size;
    private final Set<Integer> assigned = new HashSet<>();
    private final List<Range> returned = new ArrayList<>();

    Enumerator(SplitEnumeratorContext<Range> ctx, long size) {
      this.ctx = ctx;
      this.size = size;
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtask, String host) {}

    @Override
    public void addSplitsBack(List<Range> splits, int subtask) {
      returned.addAll(splits);
    }

    @Override
    public void addReader(int subtask) {
      if (!returned.isEmpty()) {
        for (Range r : returned) {
          ctx.assignSplit(r, subtask);
        }
        returned.clear();
      } else if (assigned.add(subtask)) {
        int p = ctx.currentParallelism();
        ctx.assignSplit(new Range("range-" + subtask, size * subtask / p, size * (subtask + 1) / p), subtask);
      }
      ctx.signalNoMoreSplits(subtask);
    }

    @Override
    public Integer snapshotState(long checkpointId) {
      return assigned.size();
    }

    @Override
    public void close() {}
  }

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-pacer");
    t.setDaemon(true);
    return t;
  });

  static final class Reader<T> implements SourceReader<T, Range> {
    private final Feed feed;
    private final Probe probe;
    private final Decoder<T> decoder;
    private final List<Range> splits = new ArrayList<>();
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private long first = -1;
    private long deadline = Long.MAX_VALUE;
    private boolean stopped;

    Reader(Feed feed, Probe probe, Decoder<T> decoder) {
      this.feed = feed;
      this.probe = probe;
      this.decoder = decoder;
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<T> out) {
      Range r = splits.isEmpty() ? null : splits.get(0);
      if (r != null && (r.next >= r.end || stopped)) {
        splits.remove(0);
        return exhausted();
      }
      if (r == null) {
        return noMoreSplits ? exhausted() : waitFor(null);
      }
      long i = r.next;
      long due = feed.dueNanos(i);
      long now = 0;
      if (due > 0 || (i & 255) == 0 || first < 0) {
        now = System.nanoTime();
        if (first < 0) {
          first = now;
          if (probe != null) {
            probe.firstEmitNanos = now;
            long max = probe.maxRunNanos;
            deadline = max > 0 ? now + max : Long.MAX_VALUE;
          }
        }
        if (due > 0 && first + due > now + 20_000) {
          return waitFor(first + due - now);
        }
        if (now >= deadline) {
          stopped = true;
        }
      }
      long nowMs = System.currentTimeMillis();
      T record = decoder.decode(i, feed.bytes(i, nowMs), nowMs);
      if (probe != null) {
        long[] at = probe.emitNanos;
        if (at != null && i < at.length) {
          at[(int) i] = now != 0 ? now : System.nanoTime();
        }
      }
      out.collect(record, decoder.timestamp(record, nowMs));
      r.next = i + 1;
      if (probe != null) {
        probe.emitted++;
        if (now != 0) {
          probe.lastEmitNanos = now;
          if (probe.markCount < 0 && now - first >= probe.warmupNanos) {
            probe.markNow(now, probe.emitted);
          }
        }
      }
      return InputStatus.MORE_AVAILABLE;
    }

    private InputStatus exhausted() {
      if (!splits.isEmpty()) {
        return InputStatus.MORE_AVAILABLE;
      }
      if (probe != null && !probe.exhausted) {
        probe.endNow(System.nanoTime());
      }
      if (!noMoreSplits) {
        return waitFor(null);
      }
      if (probe != null && probe.hold && !probe.released.isDone()) {
        available = new CompletableFuture<>();
        CompletableFuture<Void> a = available;
        probe.released.thenRun(() -> a.complete(null));
        return InputStatus.NOTHING_AVAILABLE;
      }
      return InputStatus.END_OF_INPUT;
    }

    private InputStatus waitFor(Long nanos) {
      available = new CompletableFuture<>();
      if (nanos != null) {
        CompletableFuture<Void> a = available;
        TIMER.schedule(() -> a.complete(null), nanos, TimeUnit.NANOSECONDS);
      }
      return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<Range> snapshotState(long checkpointId) {
      List<Range> out = new ArrayList<>();
      for (Range r : splits) {
        out.add(new Range(r.id, r.next, r.end));
      }
      return out;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return available;
    }

    @Override
    public void addSplits(List<Range> added) {
      splits.addAll(added);
      available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
      noMoreSplits = true;
      available.complete(null);
    }

    @Override
    public void close() {}
  }
}
