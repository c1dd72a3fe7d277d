package io.promo.model;

/** A reward given to a user; written to {@code promo.grants} when due ({@code deliverAt}). */
public record Grant(
    String grantId,
    String campaignId,
    int campaignVersion,
    String userId,
    GrantReward reward,
    TriggerRef trigger,
    long qualifiedAt,
    long deliverAt,
    long issuedAt) {

  public Grant issued(long at) {
    return new Grant(grantId, campaignId, campaignVersion, userId, reward, trigger, qualifiedAt, deliverAt, at);
  }
}
