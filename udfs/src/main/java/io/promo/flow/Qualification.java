package io.promo.flow;

/**
 * A user met a campaign's condition (from the evaluator to the ledger). When {@code reject} is
 * set the evaluator already refused it (user limit, not running, delivery dropped) and the
 * ledger only counts and reports it.
 *
 * @param runId for list and past-behaviour runs (no trigger event), the run's id; else null
 * @param points points to grant for WALLET_POINTS, else 0
 */
public record Qualification(
    String campaignId,
    int version,
    String userId,
    String ledgerKey,
    String triggerEventId,
    long triggerTs,
    String runId,
    long qualifiedAt,
    long deliverAt,
    long points,
    String reject) {}
