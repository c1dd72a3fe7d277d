package io.promo.flow;

import java.util.List;

/** Codes accepted into a series (after the partner-wide duplicate check). */
public record CodeBatch(String series, String partner, List<String> codes, Long expiresAt, String commandId, long at) {}
