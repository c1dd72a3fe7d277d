package io.promo.flow;

import java.time.Duration;
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
 * once a partition has been quiet for {@code quietAfter}, its watermark follows the wall clock
 * (less the bound) so inaction deadlines fire without further traffic. A partition that has
 * had no event for {@code idleAfter} since the reader started is idle: it neither holds back nor
 * moves event time (so before the first event event time stands still, and a fresh job can be
 * fed history in time order). {@code idleAfter} must be longer than the first fetch of a
 * backlog takes: a partition declared idle too early would see its backlog arrive late.
 */
public final class EventWatermarks implements WatermarkStrategy<EventRecord> {
  private static final long serialVersionUID = 1L;

  private final long bound;
  private final long quietAfter;
  private final long idleAfter;
  private final SerializableClock clock;

  /** A wall clock that can be shipped with the job graph (tests substitute their own). */
  public interface SerializableClock extends LongSupplier, java.io.Serializable {}

  public EventWatermarks(Duration outOfOrderness, Duration quietAfter, Duration idleAfter, SerializableClock clock) {
    this.bound = outOfOrderness.toMillis();
    this.quietAfter = quietAfter.toMillis();
    this.idleAfter = idleAfter.toMillis();
    this.clock = clock;
  }

  @Override
  public TimestampAssigner<EventRecord> createTimestampAssigner(TimestampAssignerSupplier.Context ctx) {
    return (r, kafkaTs) -> r.event() != null ? r.event().ts() : kafkaTs;
  }

  @Override
  public WatermarkGenerator<EventRecord> createWatermarkGenerator(WatermarkGeneratorSupplier.Context ctx) {
    return new Generator(bound, quietAfter, idleAfter, clock);
  }

  static final class Generator implements WatermarkGenerator<EventRecord> {
    private final PartitionClock partition;
    private final long idleAfter;
    private final LongSupplier clock;
    private final long createdAt;
    private long emitted = Long.MIN_VALUE;

    Generator(long bound, long quietAfter, long idleAfter, LongSupplier clock) {
      this.partition = new PartitionClock(bound, quietAfter);
      this.idleAfter = idleAfter;
      this.clock = clock;
      this.createdAt = clock.getAsLong();
    }

    @Override
    public void onEvent(EventRecord r, long ts, WatermarkOutput out) {
      if (r.event() != null) { // unreadable or future records must not move event time
        partition.onEvent(ts, clock.getAsLong());
      }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput out) {
      long now = clock.getAsLong();
      if (!partition.seen()) {
        if (now - createdAt >= idleAfter) {
          out.markIdle();
        }
        return;
      }
      long wm = partition.watermark(now);
      if (wm > emitted) {
        emitted = wm;
        out.emitWatermark(new Watermark(wm));
      }
    }
  }
}
