package io.promo.flow;

/** One user's membership change of a custom list (a list.add/remove fanned out per user). */
public record ListChange(String userId, String list, boolean add, long at, String commandId) {}
