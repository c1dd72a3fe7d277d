package io.promo.lang;

/** Start and end in epoch ms; {@code start} is null until resolved at publish, {@code end} may be null. */
public record Schedule(Long start, Long end) {}
