package io.promo.lang;

import java.util.List;

/**
 * A validated campaign definition (one version). Built only by {@link CampaignParser}.
 *
 * @param kind LIVE, PAST_BEHAVIOR or CUSTOM_LIST
 * @param trigger the LIVE trigger, else null
 * @param every PAST_BEHAVIOR re-evaluation period in ms, 0 for a single run
 * @param list CUSTOM_LIST list name, else null
 * @param segment the audience filter, or null for everyone
 */
public record Campaign(
    String id,
    String name,
    String createdBy,
    List<String> labels,
    boolean draft,
    String kind,
    Trigger trigger,
    long every,
    String list,
    Segment segment,
    Reward reward,
    Limits limits,
    Schedule schedule,
    Delivery delivery) {
  public static final String LIVE = "LIVE";
  public static final String PAST_BEHAVIOR = "PAST_BEHAVIOR";
  public static final String CUSTOM_LIST = "CUSTOM_LIST";

  /**
   * The key of the single writer that enforces this campaign's budget and hands out its codes:
   * the inventory series when the reward draws from one (so campaigns sharing a series share
   * one writer), else the campaign itself.
   */
  public String ledgerKey() {
    return reward.usesInventory() ? "series:" + reward.series() : "campaign:" + id;
  }
}
