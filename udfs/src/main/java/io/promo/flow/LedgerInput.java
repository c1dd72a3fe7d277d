package io.promo.flow;

/** What reaches a ledger key: a qualification to settle, or codes to add to the inventory. */
public record LedgerInput(Qualification qualification, CodeBatch codes) {
  public String key() {
    return qualification != null ? qualification.ledgerKey() : "series:" + codes.series();
  }
}
