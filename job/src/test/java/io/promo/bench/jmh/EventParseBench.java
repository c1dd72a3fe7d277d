package io.promo.bench.jmh;

import io.promo.bench.Workload;
import io.promo.flow.EventDecoder;
import io.promo.flow.EventRecord;
import io.promo.json.EventCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The events source's per-record work: JSON → validated Event (EventCodec.parse, EventDecoder). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventParseBench {
  private byte[][] events;
  private int next;
  private final EventDecoder decoder = new EventDecoder(300_000);

  @Setup
  public void setup() {
    Workload w = new Workload(10, 100_000, 0.2, System.currentTimeMillis() - 86_400_000L, 1000, 42, null, 1000);
    events = new byte[4096][];
    for (int i = 0; i < events.length; i++) {
      events[i] = w.event(i);
    }
  }

  @Benchmark
  public EventCodec.Result parse() {
    return EventCodec.parse(events[next++ & 4095]);
  }

  @Benchmark
  public EventRecord decode() {
    long now = System.currentTimeMillis();
    return decoder.decode("events", 0, next, now, null, events[next++ & 4095], now);
  }
}
