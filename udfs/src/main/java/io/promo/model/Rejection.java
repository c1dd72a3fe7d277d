package io.promo.model;

/** A qualification that was not granted, and why (one of {@link Reasons}' rejection reasons). */
public record Rejection(String campaignId, String userId, String reason, TriggerRef trigger, long at) {}
