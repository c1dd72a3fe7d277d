package io.promo.lang;

/**
 * What a grant gives. Exactly the fields of {@link #type} are set.
 *
 * @param points fixed points, or 0 when {@code percent} is used
 * @param maxPoints cap of percentage points, or 0 for none
 * @param validFor milliseconds a code stays valid after issue, or 0 for no expiry
 * @param lowStock remaining count that raises INVENTORY_LOW, or 0 for none
 */
public record Reward(
    String type,
    long points,
    double percent,
    String of,
    long maxPoints,
    String code,
    long validFor,
    String series,
    String partner,
    long lowStock) {
  public static final String WALLET_POINTS = "WALLET_POINTS";
  public static final String SINGLE_CODE_COUPON = "SINGLE_CODE_COUPON";
  public static final String BULK_COUPON_CODES = "BULK_COUPON_CODES";
  public static final String PARTNER_VOUCHER = "PARTNER_VOUCHER";

  public boolean usesInventory() {
    return series != null;
  }

  public boolean isPoints() {
    return WALLET_POINTS.equals(type);
  }

  /** Points for a triggering event whose {@code of} property is {@code base} (NaN if absent). */
  public long pointsFor(double base) {
    if (percent <= 0) {
      return points;
    }
    if (Double.isNaN(base) || base <= 0) {
      return 0;
    }
    long p = (long) Math.floor(base * percent / 100.0 + 1e-9);
    return maxPoints > 0 ? Math.min(p, maxPoints) : p;
  }
}
