package io.promo.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The latest state and counters of a campaign, on the compacted {@code promo.campaign-status}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CampaignStatus(
    String id,
    String name,
    String createdBy,
    List<String> labels,
    String kind,
    String rewardType,
    String status,
    int version,
    Map<String, Long> schedule,
    long updatedAt,
    Stats stats,
    Map<String, Long> limits,
    String lastCommandId) {

  /** The contract's counters block. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Stats(long qualified, long granted, long points, Map<String, Long> rejected, Inventory inventory) {}

  /** Inventory of the campaign's series (absent for rewards without one). */
  public record Inventory(long uploaded, long issued, long remaining) {}
}
