package io.promo.flow;

import static io.promo.testing.Fixtures.HOUR;
import static io.promo.testing.Fixtures.MIN;
import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Harnesses.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Grant;
import io.promo.model.GrantReward;
import io.promo.model.TriggerRef;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliverySchedulerTest {
  private static final AtomicLong WALL = new AtomicLong();

  private KeyedOneInputStreamOperatorTestHarness<String, Grant, Grant> h;

  @BeforeEach
  void open() throws Exception {
    WALL.set(5_000);
    h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new DeliveryScheduler(WALL::get), Grant::userId, Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  private static Grant grant(String id, String user, long qualifiedAt, long deliverAt) {
    return new Grant(id, "c1", 1, user, new GrantReward("WALLET_POINTS", 10L, null, null, null, null),
        new TriggerRef("e-" + id, qualifiedAt), qualifiedAt, deliverAt, 0);
  }

  @Test
  void aGrantDueAlreadyPassesStraightThroughStampedWithTheClock() throws Exception {
    Grant g = grant("g1", "u1", T0, T0);
    h.processElement(g, T0);
    assertThat(drain(h)).containsExactly(g.issued(5_000));
    Grant overdue = grant("g2", "u1", T0, T0 - MIN);
    h.processElement(overdue, T0);
    assertThat(drain(h)).containsExactly(overdue.issued(5_000));
    assertThat(h.numKeyedStateEntries()).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
  }

  @Test
  void aLaterGrantWaitsForTheWatermarkOfItsTime() throws Exception {
    Grant morning = grant("g1", "u1", T0, T0 + 10 * HOUR);
    Grant evening = grant("g2", "u1", T0, T0 + 18 * HOUR);
    Grant other = grant("g3", "u2", T0, T0 + 10 * HOUR);
    h.processElement(morning, T0);
    h.processElement(evening, T0);
    h.processElement(other, T0);
    assertThat(drain(h)).isEmpty();
    assertThat(h.numEventTimeTimers()).isEqualTo(3);
    assertThat(h.numKeyedStateEntries()).isEqualTo(2);

    h.processWatermark(T0 + 10 * HOUR - 1);
    assertThat(drain(h)).isEmpty();
    WALL.set(7_000);
    h.processWatermark(T0 + 10 * HOUR);
    assertThat(drain(h)).containsExactlyInAnyOrder(morning.issued(7_000), other.issued(7_000));
    assertThat(h.numKeyedStateEntries()).isEqualTo(1);

    WALL.set(9_000);
    h.processWatermark(T0 + 24 * HOUR);
    assertThat(drain(h)).containsExactly(evening.issued(9_000));
    assertThat(h.numKeyedStateEntries()).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
  }

  @Test
  void aGrantDueBeforeTheCurrentWatermarkIsNotHeldBack() throws Exception {
    h.processWatermark(T0 + HOUR);
    Grant g = grant("g1", "u1", T0, T0 + 30 * MIN);
    h.processElement(g, T0 + 2 * HOUR);
    assertThat(drain(h)).containsExactly(g.issued(5_000));
  }
}
