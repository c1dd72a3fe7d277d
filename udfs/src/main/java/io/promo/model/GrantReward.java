package io.promo.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The reward part of a grant: {@code points}, or {@code code} (+ series, partner, expiry). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrantReward(String type, Long points, String series, String code, String partner, Long expiresAt) {}
