package io.promo.flow;

/**
 * A series' code stock. Codes sit at indexes [next, uploaded) of the ledger's code map;
 * {@code discarded} counts codes skipped because they had expired before they could be issued.
 */
public record Inventory(long uploaded, long next, long issued, long discarded, boolean lowAlerted, boolean exhaustedAlerted) {
  public static final Inventory EMPTY = new Inventory(0, 0, 0, 0, false, false);

  public long remaining() {
    return uploaded - next;
  }
}
