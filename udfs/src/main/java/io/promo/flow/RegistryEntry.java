package io.promo.flow;

/**
 * What the registry keeps per campaign: the current definition and status.
 *
 * @param seq number of changes so far (orders the broadcast updates)
 * @param status explicit status (see {@link Lifecycle#effective})
 */
public record RegistryEntry(
    String definitionJson, int version, long seq, String status, Long start, Long end, String ledgerKey,
    long updatedAt, String lastCommandId) {}
