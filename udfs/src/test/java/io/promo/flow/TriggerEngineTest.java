package io.promo.flow;

import static io.promo.testing.Fixtures.HOUR;
import static io.promo.testing.Fixtures.MIN;
import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.flow.TriggerEngine.Fired;
import io.promo.lang.Cond;
import io.promo.lang.Match;
import io.promo.lang.Op;
import io.promo.lang.Trigger;
import io.promo.model.Event;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerEngineTest {
  private static final Match CART = new Match("add_to_cart", List.of(new Cond("amount", Op.GTE, 50.0)));
  private static final Match CHECKOUT = new Match("checkout", List.of());

  private final UserState.Progress progress = new UserState.Progress();

  private List<Fired> apply(Trigger t, Event e) {
    return apply(t, e, null);
  }

  private List<Fired> apply(Trigger t, Event e, String baseProp) {
    List<Fired> out = new ArrayList<>();
    TriggerEngine.onEvent(t, progress, e, ZoneOffset.UTC, baseProp, out);
    return out;
  }

  private List<Fired> due(Trigger t, long at) {
    List<Fired> out = new ArrayList<>();
    TriggerEngine.takeDue(progress, at, TriggerEngine.fires(t), out);
    return out;
  }

  private static Event cart(String id, long ts, double amount, String sku) {
    return event(id, "u1", "add_to_cart", ts, "amount", amount, "sku", sku);
  }

  @Test
  void onFiresAtEachMatchWithTheBaseOfThePercentProperty() {
    Trigger t = new Trigger.On(CART);
    assertThat(apply(t, cart("e1", T0, 120.5, "A"), "amount")).containsExactly(new Fired("e1", T0, 120.5, T0));
    assertThat(apply(t, cart("e2", T0 + 1, 10, "A"), "amount")).isEmpty();
    assertThat(apply(t, cart("e3", T0 + 2, 50, "A"))).hasSize(1).allSatisfy(f -> assertThat(f.base()).isNaN());
    assertThat(progress.isEmpty()).isTrue();
    assertThat(TriggerEngine.fires(t)).isFalse();
  }

  @Test
  void thenNotFiresAtTheDeadlineUnlessCancelled() {
    Trigger t = new Trigger.ThenNot(CART, CHECKOUT, 30 * MIN, List.of());
    assertThat(TriggerEngine.fires(t)).isTrue();
    assertThat(apply(t, cart("e1", T0, 60, "A"))).isEmpty();
    assertThat(apply(t, cart("e2", T0 + 10 * MIN, 70, "B"))).isEmpty();
    assertThat(TriggerEngine.nextDue(progress)).isEqualTo(T0 + 30 * MIN);

    assertThat(due(t, T0 + 30 * MIN - 1)).isEmpty();
    assertThat(due(t, T0 + 30 * MIN)).containsExactly(new Fired("e1", T0, Double.NaN, T0 + 30 * MIN));

    // A checkout cancels every pending cart before it, of any sku.
    assertThat(apply(t, event("e3", "u1", "checkout", T0 + 35 * MIN))).isEmpty();
    assertThat(progress.items).isEmpty();
    assertThat(TriggerEngine.nextDue(progress)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void thenNotCheckoutExactlyAtTheDeadlineCancels() {
    Trigger t = new Trigger.ThenNot(CART, CHECKOUT, 30 * MIN, List.of());
    apply(t, cart("e1", T0, 60, "A"));
    apply(t, event("e2", "u1", "checkout", T0 + 30 * MIN));
    assertThat(due(t, T0 + 30 * MIN)).isEmpty();
  }

  @Test
  void thenNotCheckoutBeforeTheCartDoesNotCancelIt() {
    Trigger t = new Trigger.ThenNot(CART, CHECKOUT, 30 * MIN, List.of());
    apply(t, cart("e1", T0 + MIN, 60, "A"));
    apply(t, event("e0", "u1", "checkout", T0)); // judged late in this pure test: must not cancel a later cart
    assertThat(due(t, T0 + 31 * MIN)).extracting(Fired::eventId).containsExactly("e1");
  }

  @Test
  void thenNotWithSamePropsCancelsOnlyTheMatchingCart() {
    Trigger t = new Trigger.ThenNot(CART, CHECKOUT, 30 * MIN, List.of("sku"));
    apply(t, cart("e1", T0, 60, "A"), "amount");
    apply(t, cart("e2", T0 + MIN, 70, "B"), "amount");
    apply(t, event("e3", "u1", "checkout", T0 + 2 * MIN, "sku", "B"));
    assertThat(due(t, T0 + HOUR)).containsExactly(new Fired("e1", T0, 60.0, T0 + 30 * MIN));

    apply(t, cart("e4", T0 + 2 * HOUR, 60, "A"));
    apply(t, event("e5", "u1", "checkout", T0 + 2 * HOUR + MIN));
    assertThat(due(t, T0 + 3 * HOUR)).extracting(Fired::eventId).containsExactly("e4");
  }

  @Test
  void thenFiresAtM2WithinTheWindowInclusive() {
    Trigger t = new Trigger.Then(CART, CHECKOUT, 10 * MIN);
    apply(t, cart("e1", T0, 60, "A"));
    assertThat(apply(t, event("e2", "u1", "checkout", T0 + 10 * MIN))).containsExactly(
        new Fired("e2", T0 + 10 * MIN, Double.NaN, T0 + 10 * MIN));
    assertThat(progress.items).isEmpty();
    // M2 without an M before it, and M2 after the window, do nothing.
    assertThat(apply(t, event("e3", "u1", "checkout", T0 + 11 * MIN))).isEmpty();
    apply(t, cart("e4", T0 + HOUR, 60, "A"));
    assertThat(apply(t, event("e5", "u1", "checkout", T0 + HOUR + 10 * MIN + 1))).isEmpty();
    assertThat(progress.items).isEmpty();
  }

  @Test
  void thenItemsExpireRatherThanFire() {
    Trigger t = new Trigger.Then(CART, CHECKOUT, 10 * MIN);
    apply(t, cart("e1", T0, 60, "A"));
    assertThat(TriggerEngine.nextDue(progress)).isEqualTo(T0 + 10 * MIN);
    assertThat(due(t, T0 + 10 * MIN)).isEmpty();
    assertThat(progress.items).isEmpty();
  }

  @Test
  void atLeastCountsInASlidingWindow() {
    Trigger t = new Trigger.AtLeast(CART, 3, HOUR);
    assertThat(apply(t, cart("e1", T0, 60, "A"))).isEmpty();
    assertThat(apply(t, cart("e2", T0 + 50 * MIN, 60, "A"))).isEmpty();
    assertThat(apply(t, cart("e3", T0 + 70 * MIN, 60, "A"))).isEmpty(); // e1 slid out
    assertThat(apply(t, cart("x", T0 + 71 * MIN, 10, "A"))).isEmpty(); // no match: not counted
    assertThat(apply(t, cart("e4", T0 + 110 * MIN, 60, "A"))).containsExactly(
        new Fired("e4", T0 + 110 * MIN, Double.NaN, T0 + 110 * MIN));
    assertThat(progress.items).isEmpty();
    // The count starts over after firing.
    assertThat(apply(t, cart("e5", T0 + 111 * MIN, 60, "A"))).isEmpty();
    assertThat(progress.items).hasSize(1);
  }

  @Test
  void atLeastWindowIsInclusiveOfItsSpan() {
    Trigger t = new Trigger.AtLeast(CART, 2, HOUR);
    apply(t, cart("e1", T0, 60, "A"));
    assertThat(apply(t, cart("e2", T0 + HOUR, 60, "A"))).extracting(Fired::eventId).containsExactly("e2");
  }

  @Test
  void sumFiresWhenTheWindowTotalReachesTheThreshold() {
    Trigger t = new Trigger.Sum(new Match("purchase", List.of()), "amount", 100, HOUR);
    assertThat(apply(t, event("e1", "u1", "purchase", T0, "amount", 40.0))).isEmpty();
    assertThat(apply(t, event("e2", "u1", "purchase", T0 + MIN, "amount", "50"))).isEmpty(); // not a number
    assertThat(apply(t, event("e3", "u1", "purchase", T0 + 2 * MIN))).isEmpty(); // no amount
    assertThat(apply(t, event("e4", "u1", "purchase", T0 + 61 * MIN, "amount", 70.0))).isEmpty(); // e1 slid out
    assertThat(apply(t, event("e5", "u1", "purchase", T0 + 62 * MIN, "amount", 30.0))).containsExactly(
        new Fired("e5", T0 + 62 * MIN, Double.NaN, T0 + 62 * MIN));
    assertThat(progress.items).isEmpty();
  }

  @Test
  void sumToleratesFloatingPointNoise() {
    // Ten times 0.1 adds up to 0.9999999999999999 in doubles.
    Trigger t = new Trigger.Sum(new Match("purchase", List.of()), "amount", 1.0, HOUR);
    for (int i = 1; i < 10; i++) {
      assertThat(apply(t, event("e" + i, "u1", "purchase", T0 + i, "amount", 0.1))).isEmpty();
    }
    assertThat(apply(t, event("e10", "u1", "purchase", T0 + 10, "amount", 0.1))).hasSize(1);
  }

  @Test
  void inactiveIsReArmedByEachMatch() {
    Trigger t = new Trigger.Inactive(new Match("app_open", List.of()), HOUR);
    assertThat(TriggerEngine.fires(t)).isTrue();
    apply(t, event("e1", "u1", "app_open", T0));
    apply(t, event("e2", "u1", "app_open", T0 + 30 * MIN));
    assertThat(progress.items).hasSize(1);
    assertThat(TriggerEngine.nextDue(progress)).isEqualTo(T0 + 90 * MIN);
    assertThat(due(t, T0 + HOUR)).isEmpty();
    assertThat(due(t, T0 + 90 * MIN)).containsExactly(new Fired("e2", T0 + 30 * MIN, Double.NaN, T0 + 90 * MIN));
    assertThat(progress.items).isEmpty();
  }

  @Test
  void firstTimeFiresOnceEver() {
    Trigger t = new Trigger.FirstTime(CART);
    assertThat(apply(t, cart("e0", T0, 10, "A"))).isEmpty();
    assertThat(apply(t, cart("e1", T0 + 1, 60, "A"))).extracting(Fired::eventId).containsExactly("e1");
    assertThat(apply(t, cart("e2", T0 + 2, 60, "A"))).isEmpty();
    assertThat(progress.done).isTrue();
    assertThat(progress.isEmpty()).isFalse();
  }

  @Test
  void windowsKeepAtMostMaxItems() {
    Trigger t = new Trigger.AtLeast(CART, TriggerEngine.MAX_ITEMS + 10, HOUR);
    for (int i = 0; i < TriggerEngine.MAX_ITEMS + 5; i++) {
      apply(t, cart("e" + i, T0 + i, 60, "A"));
    }
    assertThat(progress.items).hasSize(TriggerEngine.MAX_ITEMS);
    assertThat(progress.items.get(0).eventId()).isEqualTo("e5");
  }

  @Test
  void outOfOrderItemsAreKeptSortedByTime() {
    Trigger t = new Trigger.ThenNot(CART, CHECKOUT, 30 * MIN, List.of());
    apply(t, cart("late", T0 + 5 * MIN, 60, "A"));
    apply(t, cart("early", T0, 60, "A"));
    assertThat(progress.items).extracting(UserState.Item::eventId).containsExactly("early", "late");
    assertThat(TriggerEngine.nextDue(progress)).isEqualTo(T0 + 30 * MIN);
  }
}
