package io.promo.flow;

import java.time.Duration;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of the events topic, per partition: bounded out-of-orderness while events flow;
 * once a partition has been quiet for {@code quietAfter} and its reader is found at the
 * partition's end ({@link PartitionEnd}), its watermark follows the wall clock (less the bound)
 * so inaction deadlines fire without further traffic. A quiet partition that still has a backlog
 * (the source stalled) keeps its events' time; its end is asked again every {@code quietAfter}.
 * A partition that has had no event for {@code idleAfter} since the reader started is idle: it
 * neither holds back nor moves event time (so before the first event event time stands still,
 * and a fresh job can be fed history in time order). {@code idleAfter} must be longer than the
 * first fetch of a backlog takes: a partition declared idle too early would see its backlog
 * arrive late.
 *
 * <p>The gate that judges LATE must be made with {@link #gate()} and chained to the source: it
 * shares each partition's clock with the generators ({@link PartitionClocks}).
 */
public final class EventWatermarks implements WatermarkStrategy<EventRecord> {
  private static final long serialVersionUID = 1L;

  private final PartitionClocks.Spec spec;
  private final long idleAfter;

  /** A wall clock that can be shipped with the job graph (tests substitute their own). */
  public interface SerializableClock extends LongSupplier, java.io.Serializable {}

  /** For sources with no end to ask (generators): quiet counts as caught up ({@link PartitionEnd#ALWAYS}). */
  public EventWatermarks(Duration outOfOrderness, Duration quietAfter, Duration idleAfter, SerializableClock clock) {
    this(outOfOrderness, quietAfter, idleAfter, clock, PartitionEnd.ALWAYS);
  }

  public EventWatermarks(
      Duration outOfOrderness, Duration quietAfter, Duration idleAfter, SerializableClock clock, PartitionEnd end) {
    this.spec = new PartitionClocks.Spec(
        UUID.randomUUID().toString(), outOfOrderness.toMillis(), quietAfter.toMillis(), clock, end);
    this.idleAfter = idleAfter.toMillis();
  }

  /** The gate for this source's events: judges LATE by the same per-partition event time. */
  public EventGate gate() {
    return new EventGate(spec);
  }

  @Override
  public TimestampAssigner<EventRecord> createTimestampAssigner(TimestampAssignerSupplier.Context ctx) {
    return (r, kafkaTs) -> r.event() != null ? r.event().ts() : kafkaTs;
  }

  @Override
  public WatermarkGenerator<EventRecord> createWatermarkGenerator(WatermarkGeneratorSupplier.Context ctx) {
    return new Generator(spec, idleAfter);
  }

  /** One partition's generator (Flink makes one per split); learns its partition from its first record. */
  static final class Generator implements WatermarkGenerator<EventRecord> {
    private final PartitionClocks.Spec spec;
    private final long idleAfter;
    private final LongSupplier clock;
    private final long createdAt;
    private PartitionClock partition;
    private long emitted = Long.MIN_VALUE;

    Generator(PartitionClocks.Spec spec, long idleAfter) {
      this.spec = spec;
      this.idleAfter = idleAfter;
      this.clock = spec.clock();
      this.createdAt = clock.getAsLong();
    }

    @Override
    public void onEvent(EventRecord r, long ts, WatermarkOutput out) {
      if (partition == null) {
        partition = PartitionClocks.of(spec).get(r.topic(), r.partition());
      }
      partition.onRecord(r.offset());
      if (r.event() != null) { // unreadable or future records must not move event time
        partition.onEvent(ts, clock.getAsLong());
      }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput out) {
      long now = clock.getAsLong();
      if (partition == null || !partition.seen()) {
        if (now - createdAt >= idleAfter) {
          out.markIdle();
        }
        return;
      }
      partition.tick(now);
      long wm = partition.watermark(now);
      if (wm > emitted) {
        emitted = wm;
        out.emitWatermark(new Watermark(wm));
      }
    }
  }
}
