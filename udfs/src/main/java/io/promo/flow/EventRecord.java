package io.promo.flow;

import io.promo.model.Event;

/**
 * A record as read from the events topic: the parsed event, or why it is not one. The raw
 * bytes travel along (only within the source's operator chain) so that a dead letter can carry
 * the payload exactly as received.
 */
public record EventRecord(
    Event event, String error, String topic, int partition, long offset, byte[] key, byte[] value, long timestamp) {}
