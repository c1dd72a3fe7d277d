package io.promo.model;

/** The event that triggered a qualification ({@code eventId} null for a run or list campaign). */
public record TriggerRef(String eventId, long ts) {}
