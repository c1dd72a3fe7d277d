package io.promo.lang;

import static io.promo.testing.Fixtures.at;
import static io.promo.testing.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Event;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CondTest {

  private static boolean test(Op op, Object value, Object actual) {
    return new Cond("p", op, value).test(actual);
  }

  @Test
  void numbersCompareNumericallyAndNeverEqualStrings() {
    assertThat(test(Op.EQ, 5.0, 5)).isTrue();
    assertThat(test(Op.EQ, 5.0, 5.0)).isTrue();
    assertThat(test(Op.EQ, 5.0, "5")).isFalse();
    assertThat(test(Op.NE, 5.0, "5")).isTrue();
    assertThat(test(Op.GT, 50.0, 50.5)).isTrue();
    assertThat(test(Op.GT, 50.0, 50.0)).isFalse();
    assertThat(test(Op.GTE, 50.0, 50.0)).isTrue();
    assertThat(test(Op.LT, 50.0, 49.99)).isTrue();
    assertThat(test(Op.LT, 50.0, 50.0)).isFalse();
    assertThat(test(Op.LTE, 50.0, 50.0)).isTrue();
    assertThat(test(Op.GT, 50.0, "100")).isFalse();
    assertThat(test(Op.LTE, 50.0, true)).isFalse();
  }

  @Test
  void stringsCompareExactly() {
    assertThat(test(Op.EQ, "Pune", "Pune")).isTrue();
    assertThat(test(Op.EQ, "Pune", "pune")).isFalse();
    assertThat(test(Op.IN, List.of("Pune", "Delhi"), "Delhi")).isTrue();
    assertThat(test(Op.IN, List.of("Pune", 1.0), 1.0)).isTrue();
    assertThat(test(Op.IN, List.of("Pune", "Delhi"), "Mumbai")).isFalse();
    assertThat(test(Op.NOT_IN, List.of("Pune", "Delhi"), "Mumbai")).isTrue();
    assertThat(test(Op.NOT_IN, List.of("Pune", "Delhi"), "Pune")).isFalse();
    assertThat(test(Op.CONTAINS, "ell", "hello")).isTrue();
    assertThat(test(Op.CONTAINS, "xyz", "hello")).isFalse();
    assertThat(test(Op.CONTAINS, 1.0, "1")).isFalse();
    assertThat(test(Op.STARTS_WITH, "A", "A1")).isTrue();
    assertThat(test(Op.STARTS_WITH, "A", "BA")).isFalse();
    assertThat(test(Op.STARTS_WITH, "1", 12.0)).isFalse();
    assertThat(test(Op.EQ, true, true)).isTrue();
    assertThat(test(Op.EQ, true, "true")).isFalse();
  }

  @Test
  void onArraysPositiveOperatorsNeedOneElementAndNegativeOnesNone() {
    List<Object> tags = List.of("sale", "new", 60.0);
    assertThat(test(Op.EQ, "sale", tags)).isTrue();
    assertThat(test(Op.EQ, "old", tags)).isFalse();
    assertThat(test(Op.NE, "sale", tags)).isFalse();
    assertThat(test(Op.NE, "old", tags)).isTrue();
    assertThat(test(Op.IN, List.of("x", "new"), tags)).isTrue();
    assertThat(test(Op.NOT_IN, List.of("x", "new"), tags)).isFalse();
    assertThat(test(Op.NOT_IN, List.of("x", "y"), tags)).isTrue();
    assertThat(test(Op.CONTAINS, "new", tags)).isTrue();
    assertThat(test(Op.CONTAINS, 60.0, tags)).isTrue();
    assertThat(test(Op.CONTAINS, "ne", tags)).isFalse();
    assertThat(test(Op.GT, 50.0, tags)).isTrue();
    assertThat(test(Op.GT, 60.0, tags)).isFalse();
    assertThat(test(Op.STARTS_WITH, "sa", tags)).isTrue();
    assertThat(test(Op.EXISTS, null, List.of())).isTrue();
    assertThat(test(Op.EQ, "x", List.of())).isFalse();
    assertThat(test(Op.NE, "x", List.of())).isTrue();
  }

  @Test
  void aMissingPropertySatisfiesOnlyNeNotInAndNotExists() {
    assertThat(test(Op.NE, "x", null)).isTrue();
    assertThat(test(Op.NOT_IN, List.of("x"), null)).isTrue();
    assertThat(test(Op.NOT_EXISTS, null, null)).isTrue();
    assertThat(test(Op.EXISTS, null, null)).isFalse();
    assertThat(test(Op.EQ, "x", null)).isFalse();
    assertThat(test(Op.IN, List.of("x"), null)).isFalse();
    assertThat(test(Op.GT, 0.0, null)).isFalse();
    assertThat(test(Op.LT, 0.0, null)).isFalse();
    assertThat(test(Op.CONTAINS, "x", null)).isFalse();
    assertThat(test(Op.STARTS_WITH, "x", null)).isFalse();
    assertThat(test(Op.EXISTS, null, "")).isTrue();
    assertThat(test(Op.NOT_EXISTS, null, 0.0)).isFalse();
  }

  // ---- Match ------------------------------------------------------------------------------------

  @Test
  void matchNeedsTheNameAndEveryCondition() {
    Match m = new Match("add_to_cart",
        List.of(new Cond("amount", Op.GTE, 50.0), new Cond("sku", Op.STARTS_WITH, "A")));
    assertThat(m.matches(event("e", "u", "add_to_cart", 0, "amount", 50.0, "sku", "A1"), ZoneOffset.UTC)).isTrue();
    assertThat(m.matches(event("e", "u", "add_to_cart", 0, "amount", 49.0, "sku", "A1"), ZoneOffset.UTC)).isFalse();
    assertThat(m.matches(event("e", "u", "add_to_cart", 0, "amount", 50.0), ZoneOffset.UTC)).isFalse();
    assertThat(m.matches(event("e", "u", "checkout", 0, "amount", 50.0, "sku", "A1"), ZoneOffset.UTC)).isFalse();
    assertThat(new Match("checkout", List.of()).matches(event("e", "u", "checkout", 0), ZoneOffset.UTC)).isTrue();
  }

  @Test
  void hourAndDayOfWeekAreLocalToTheUsersZone() {
    // 2026-12-01T00:30Z is Tuesday 06:00 in Kolkata (+05:30) and Monday 16:30 in Los Angeles (-08:00).
    Event e = event("e", "u", "open", at("2026-12-01T00:30:00Z"));
    Match at6onTuesday = new Match("open", List.of(new Cond("$hour", Op.EQ, 6.0), new Cond("$dayOfWeek", Op.EQ, 2.0)));
    Match at16onMonday = new Match("open", List.of(new Cond("$hour", Op.EQ, 16.0), new Cond("$dayOfWeek", Op.EQ, 1.0)));
    Match utc = new Match("open", List.of(new Cond("$hour", Op.EQ, 0.0), new Cond("$dayOfWeek", Op.EQ, 2.0)));

    assertThat(at6onTuesday.matches(e, ZoneId.of("Asia/Kolkata"))).isTrue();
    assertThat(at16onMonday.matches(e, ZoneId.of("Asia/Kolkata"))).isFalse();
    assertThat(at16onMonday.matches(e, ZoneId.of("America/Los_Angeles"))).isTrue();
    assertThat(utc.matches(e, ZoneOffset.UTC)).isTrue();
  }

  @Test
  void pseudoPropsAreNotEventProps() {
    Event e = event("e", "u", "open", at("2026-12-06T23:00:00Z"), "$hour", 3.0);
    assertThat(new Match("open", List.of(new Cond("$hour", Op.EQ, 23.0))).matches(e, ZoneOffset.UTC)).isTrue();
    assertThat(new Match("open", List.of(new Cond("$dayOfWeek", Op.IN, List.of(6.0, 7.0)))).matches(e, ZoneOffset.UTC))
        .isTrue();
  }

  @Test
  void numberOfAProperty() {
    assertThat(Match.number(event("e", "u", "n", 0, "amount", 12.5), "amount")).isEqualTo(12.5);
    assertThat(Match.number(event("e", "u", "n", 0, "amount", "12.5"), "amount")).isNaN();
    assertThat(Match.number(event("e", "u", "n", 0), "amount")).isNaN();
  }
}
