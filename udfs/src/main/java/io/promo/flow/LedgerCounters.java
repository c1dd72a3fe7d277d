package io.promo.flow;

import java.util.HashMap;
import java.util.Map;

/** Running totals of one campaign in its ledger; {@code limitAlerted} makes the alert once-only. */
public record LedgerCounters(
    long qualified, long granted, long points, Map<String, Long> rejected, boolean limitAlerted) {

  public static final LedgerCounters ZERO = new LedgerCounters(0, 0, 0, Map.of(), false);

  LedgerCounters withQualified() {
    return new LedgerCounters(qualified + 1, granted, points, rejected, limitAlerted);
  }

  LedgerCounters withGrant(long p) {
    return new LedgerCounters(qualified, granted + 1, points + p, rejected, limitAlerted);
  }

  LedgerCounters withRejection(String reason) {
    Map<String, Long> r = new HashMap<>(rejected);
    r.merge(reason, 1L, Long::sum);
    return new LedgerCounters(qualified, granted, points, r, limitAlerted);
  }

  LedgerCounters alerted() {
    return new LedgerCounters(qualified, granted, points, rejected, true);
  }
}
