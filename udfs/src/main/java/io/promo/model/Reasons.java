package io.promo.model;

/** The fixed vocabularies of the contract's outputs. */
public final class Reasons {
  private Reasons() {}

  // Rejection reasons.
  public static final String USER_LIMIT = "USER_LIMIT";
  public static final String CAMPAIGN_GRANT_LIMIT = "CAMPAIGN_GRANT_LIMIT";
  public static final String CAMPAIGN_POINTS_LIMIT = "CAMPAIGN_POINTS_LIMIT";
  public static final String INVENTORY_EXHAUSTED = "INVENTORY_EXHAUSTED";
  public static final String NOT_RUNNING = "NOT_RUNNING";
  public static final String DELIVERY_DROPPED = "DELIVERY_DROPPED";

  // Alert types.
  public static final String INVENTORY_LOW = "INVENTORY_LOW";
  public static final String ALERT_INVENTORY_EXHAUSTED = "INVENTORY_EXHAUSTED";
  public static final String CAMPAIGN_LIMIT_REACHED = "CAMPAIGN_LIMIT_REACHED";
  public static final String COMMAND_REJECTED = "COMMAND_REJECTED";
  public static final String DUPLICATE_CODES = "DUPLICATE_CODES";

  // Dead-letter reasons that tests and operators match on (parse errors carry free text).
  public static final String LATE = "LATE";
  public static final String FUTURE = "FUTURE";
}
