package io.promo.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An operator-facing alert on {@code promo.alerts}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(String type, String campaignId, String series, String commandId, String message, long at) {}
