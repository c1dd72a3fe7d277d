package io.promo.flow;

/** A code waiting in a series, with the expiry given at upload (or null). */
public record StockCode(String code, Long expiresAt) {}
