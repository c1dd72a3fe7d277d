package io.promo.model;

/**
 * An input record the job could not use. {@code payload} is the record's value as received
 * (UTF-8), or its base64 form when it was not valid UTF-8; {@code key} likewise.
 */
public record DeadLetter(String topic, int partition, long offset, String key, String reason, String payload) {}
