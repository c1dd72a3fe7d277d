package io.promo.lang;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RewardTest {
  private static Reward fixed(long points) {
    return new Reward(Reward.WALLET_POINTS, points, 0, null, 0, null, 0, null, null, 0);
  }

  private static Reward percent(double percent, long maxPoints) {
    return new Reward(Reward.WALLET_POINTS, 0, percent, "amount", maxPoints, null, 0, null, null, 0);
  }

  @Test
  void fixedPointsIgnoreTheBase() {
    assertThat(fixed(10).pointsFor(Double.NaN)).isEqualTo(10);
    assertThat(fixed(10).pointsFor(999)).isEqualTo(10);
  }

  @Test
  void percentIsFlooredAndCapped() {
    assertThat(percent(10, 0).pointsFor(120.5)).isEqualTo(12);
    assertThat(percent(10, 0).pointsFor(129.99)).isEqualTo(12);
    assertThat(percent(10, 0).pointsFor(9.99)).isEqualTo(0);
    assertThat(percent(10, 50).pointsFor(1000)).isEqualTo(50);
    assertThat(percent(10, 50).pointsFor(499)).isEqualTo(49);
    assertThat(percent(2.5, 0).pointsFor(400)).isEqualTo(10);
  }

  @Test
  void floatingPointNoiseDoesNotCostAPoint() {
    // 0.7 * 10 / 100 * 100 is 6.999999999999999 in doubles; the user expects 7.
    assertThat(percent(7, 0).pointsFor(100)).isEqualTo(7);
    assertThat(percent(10, 0).pointsFor(70.0)).isEqualTo(7);
    assertThat(percent(33, 0).pointsFor(300)).isEqualTo(99);
  }

  @Test
  void percentOfAMissingOrNonPositiveBaseIsZero() {
    assertThat(percent(10, 0).pointsFor(Double.NaN)).isEqualTo(0);
    assertThat(percent(10, 0).pointsFor(0)).isEqualTo(0);
    assertThat(percent(10, 0).pointsFor(-50)).isEqualTo(0);
  }

  @Test
  void inventoryUse() {
    assertThat(fixed(1).usesInventory()).isFalse();
    assertThat(fixed(1).isPoints()).isTrue();
    Reward codes = new Reward(Reward.BULK_COUPON_CODES, 0, 0, null, 0, null, 0, "S", null, 0);
    assertThat(codes.usesInventory()).isTrue();
    assertThat(codes.isPoints()).isFalse();
  }
}
