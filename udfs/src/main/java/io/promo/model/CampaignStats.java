package io.promo.model;

import java.util.Map;

/**
 * Running totals of one campaign, as kept by its ledger. {@code uploaded/issued/remaining} are
 * those of the campaign's inventory series, or -1 when it has none.
 */
public record CampaignStats(
    String campaignId,
    long qualified,
    long granted,
    long points,
    Map<String, Long> rejected,
    long uploaded,
    long issued,
    long remaining) {

  public static CampaignStats empty(String campaignId) {
    return new CampaignStats(campaignId, 0, 0, 0, Map.of(), -1, -1, -1);
  }
}
