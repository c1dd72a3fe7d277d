package io.promo.serde;

import static io.promo.testing.Fixtures.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promo.flow.UserState;
import io.promo.model.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;

/** Flink's serializer contract tests on empty and full user states, and exact round trips. */
class UserStateSerializerTest extends SerializerTestBase<UserState> {

  UserStateSerializerTest() {
    super(new DeeplyEqualsChecker().withCustomCheck(
        (a, b) -> a instanceof UserState && b instanceof UserState,
        (a, b, checker) -> picture((UserState) a).equals(picture((UserState) b))));
  }

  static UserState empty() {
    return new UserState();
  }

  static UserState full() {
    UserState s = new UserState();
    s.profile.put("tz", "Asia/Kolkata");
    s.profile.put("vip", true);
    s.profile.put("score", 7.5);
    s.profile.put("tags", List.of("a", 1.0));
    s.profile.put("bio", EventSerializerTest.LONG_TEXT);
    for (int i = 0; i < 5; i++) { // capacity 8, count 5: only the count is written
      s.remember(UserState.hash("e" + i), 1000L + i);
    }
    s.addPending(EventSerializerTest.EVENTS[1]);
    s.addPending(EventSerializerTest.EVENTS[0]);
    UserState.Progress p = new UserState.Progress();
    p.fingerprint = -123456;
    p.done = true;
    p.fires = true;
    p.grantSpan = 3_600_000L;
    p.grants = 3;
    p.grantTimes.addAll(List.of(10L, 20L));
    p.items.add(new UserState.Item(5L, "e-5", 120.5, "A1\u0001", 1_805L));
    p.items.add(new UserState.Item(6L, null, Double.NaN, null, Long.MAX_VALUE));
    s.progress.put("cart-10", p);
    s.progress.put(EventSerializerTest.LONG_TEXT, new UserState.Progress());
    s.lists.addAll(List.of("vip", "beta"));
    s.countHour(7);
    s.countHour(7);
    s.countHour(23);
    s.timer = 42L;
    return s;
  }

  /** An order-insensitive, capacity-insensitive picture of a state. */
  static Map<String, Object> picture(UserState s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("profile", s.profile);
    m.put("seenHash", Arrays.toString(Arrays.copyOf(s.seenHash, s.seenCount)));
    m.put("seenTs", Arrays.toString(Arrays.copyOf(s.seenTs, s.seenCount)));
    m.put("pending", s.pending);
    Map<String, Object> progress = new TreeMap<>();
    s.progress.forEach((k, p) -> progress.put(k, List.of(p.fingerprint, p.done, p.fires, p.grantSpan, p.grants,
        List.copyOf(p.grantTimes), p.items.toString())));
    m.put("progress", progress);
    m.put("lists", new HashSet<>(s.lists));
    m.put("hours", s.hours == null ? "null" : Arrays.toString(s.hours));
    m.put("timer", s.timer);
    return m;
  }

  @Override
  protected void deepEquals(String message, UserState should, UserState is) {
    assertThat(picture(is)).as(message).isEqualTo(picture(should));
  }

  @Override
  protected TypeSerializer<UserState> createSerializer() {
    return new UserStateSerializer();
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<UserState> getTypeClass() {
    return UserState.class;
  }

  @Override
  protected UserState[] getTestData() {
    return new UserState[] {empty(), full()};
  }

  private static UserState roundTrip(UserState s) throws IOException {
    UserStateSerializer ser = new UserStateSerializer();
    DataOutputSerializer out = new DataOutputSerializer(64);
    ser.serialize(s, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    UserState back = ser.deserialize(in);
    assertThat(in.available()).isZero();
    return back;
  }

  @Test
  void emptyStateRoundTrips() throws IOException {
    UserState back = roundTrip(empty());
    assertThat(back.isEmpty()).isTrue();
    assertThat(back.hours).isNull();
    assertThat(back.timer).isEqualTo(Long.MIN_VALUE);
    assertThat(picture(back)).isEqualTo(picture(empty()));
  }

  @Test
  void fullStateRoundTripsExactly() throws IOException {
    UserState s = full();
    UserState back = roundTrip(s);
    assertThat(picture(back)).isEqualTo(picture(s));
    assertThat(back.progress.get("cart-10").items.get(1).value()).isNaN();
    assertThat(back.profile.get("bio")).isEqualTo(EventSerializerTest.LONG_TEXT);
    assertThat(back.pending).containsExactly(EventSerializerTest.EVENTS[1], EventSerializerTest.EVENTS[0]);
  }

  @Test
  void aRestoredStateKeepsWorking() throws IOException {
    UserState back = roundTrip(full());
    assertThat(back.seen(UserState.hash("e4"), 1000L, 86_400_000L)).isTrue();
    assertThat(back.seen(UserState.hash("e5"), 1000L, 86_400_000L)).isFalse();
    back.remember(UserState.hash("e5"), 2000L); // grows the restored arrays
    back.forgetSeenBefore(1003L);
    assertThat(back.seenCount).isEqualTo(3);
    assertThat(back.oldestSeen()).isEqualTo(1003L);
    back.profile.put("new", 1.0); // the restored maps and lists are mutable
    back.lists.add("new");
    back.progress.get("cart-10").grantTimes.add(30L);
    back.progress.get("cart-10").items.add(new UserState.Item(7L, "e7", 1, null, 9L));
    back.addPending(new Event("e9", "u", "n", Long.MIN_VALUE, Map.of(), Map.of()));
    assertThat(back.pending.get(0).eventId()).isEqualTo("e9");
  }

  @Test
  void copyIsDeep() {
    UserState s = full();
    UserState copy = new UserStateSerializer().copy(s);
    copy.progress.get("cart-10").items.clear();
    copy.profile.clear();
    assertThat(s.progress.get("cart-10").items).hasSize(2);
    assertThat(s.profile).isNotEmpty();
    assertThat(new UserStateSerializer().isImmutableType()).isFalse();
  }

  @Test
  void anUnknownFormatIsRefused() {
    assertThatThrownBy(() -> new UserStateSerializer().deserialize(new DataInputDeserializer(new byte[] {9})))
        .isInstanceOf(IOException.class)
        .hasMessage("unknown UserState format 9");
  }

  @Test
  void stateHelpers() {
    UserState s = new UserState();
    assertThat(s.oldestSeen()).isEqualTo(Long.MAX_VALUE);
    s.addPending(new Event("b", "u", "n", 5, Map.of(), Map.of()));
    s.addPending(new Event("a", "u", "n", 5, Map.of(), Map.of()));
    s.addPending(new Event("c", "u", "n", 1, Map.of(), Map.of()));
    assertThat(s.pending).extracting(Event::eventId).containsExactly("c", "a", "b");
    for (int i = 0; i < 2_000_001; i++) {
      s.countHour(3);
    }
    assertThat(s.hours[3]).isLessThanOrEqualTo(1_000_000).isGreaterThan(0);
    assertThat(new ArrayList<>(map("k", 1).keySet())).containsExactly("k");
  }
}
