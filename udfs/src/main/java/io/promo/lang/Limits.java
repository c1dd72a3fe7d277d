package io.promo.lang;

/**
 * @param perUserMax grants per user (default 1)
 * @param perUserSpan span in ms in which at most {@code perUserMax} grants may fall, 0 = ever
 * @param maxGrants campaign-wide grant budget, 0 = unlimited
 * @param maxPoints campaign-wide points budget, 0 = unlimited
 */
public record Limits(int perUserMax, long perUserSpan, long maxGrants, long maxPoints) {}
