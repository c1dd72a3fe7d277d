package io.promo.flow;

/**
 * One change of a campaign, as the registry broadcasts it: the state in force from {@code at}
 * on. {@code seq} orders the changes of one campaign and makes applying them idempotent.
 *
 * @param status the explicit status (SCHEDULED and RUNNING/PAUSED become RUNNING/COMPLETED by
 *     the schedule, see {@link Lifecycle#effective})
 * @param start resolved schedule start (null while DRAFT)
 * @param end schedule end, or null
 */
public record CampaignUpdate(
    String campaignId, long seq, int version, long at, String status, String definitionJson, Long start, Long end) {}
