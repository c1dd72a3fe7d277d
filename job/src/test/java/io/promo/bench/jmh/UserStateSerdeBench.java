package io.promo.bench.jmh;

import io.promo.flow.UserState;
import io.promo.serde.UserStateSerializer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The evaluator reads and writes one {@link UserState} per event and again per timer: its
 * serializer round trip is on the hot path of every event (RocksDB stores bytes, not objects).
 * A typical user: a profile, N recent event ids (dedupe), the hour histogram, 2 campaigns in
 * progress (one pending inaction window, one counter window of 2 items).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UserStateSerdeBench {
  @Param({"1", "10", "100"})
  public int seenIds;

  private final UserStateSerializer serializer = new UserStateSerializer();
  private final DataOutputSerializer out = new DataOutputSerializer(4096);
  private final DataInputDeserializer in = new DataInputDeserializer();
  private byte[] bytes;
  private UserState state;

  @Setup
  public void setup() throws IOException {
    long t = 1_764_324_900_000L;
    UserState s = new UserState();
    s.profile.put("city", "Pune");
    s.profile.put("tz", "Asia/Kolkata");
    for (int i = 0; i < seenIds; i++) {
      s.remember(UserState.hash("e" + (1_000_000 + i)), t + i * 60_000L);
    }
    s.countHour(10);
    UserState.Progress inaction = new UserState.Progress();
    inaction.fingerprint = 123;
    inaction.fires = true;
    inaction.items.add(new UserState.Item(t, "e1000001", Double.NaN, null, t + 600_000L));
    s.progress.put("bench-1", inaction);
    UserState.Progress count = new UserState.Progress();
    count.fingerprint = 456;
    count.items.add(new UserState.Item(t, "e1000002", 1, null, t + 1_800_000L));
    count.items.add(new UserState.Item(t + 1, "e1000003", 1, null, t + 1_800_001L));
    count.grants = 1;
    s.progress.put("bench-2", count);
    s.timer = t + 600_000L;
    state = s;
    out.clear();
    serializer.serialize(s, out);
    bytes = out.getCopyOfBuffer();
    System.out.println("\n  UserState with " + seenIds + " seen ids: " + bytes.length + " bytes serialized");
  }

  @Benchmark
  public int serialize() throws IOException {
    out.clear();
    serializer.serialize(state, out);
    return out.length();
  }

  @Benchmark
  public UserState deserialize() throws IOException {
    in.setBuffer(bytes);
    return serializer.deserialize(in);
  }
}
