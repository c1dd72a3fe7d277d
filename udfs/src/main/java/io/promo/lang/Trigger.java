package io.promo.lang;

import java.util.List;

/** The LIVE trigger forms of the contract. Durations are in milliseconds. */
public sealed interface Trigger {
  /** The match whose events start (or, for {@link On}, complete) the trigger. */
  Match on();

  /** Every event name the trigger listens to, for the event-name index. */
  List<String> eventNames();

  /**
   * Every match of the trigger (start, cancel or completion), for the catalog's value index and
   * the cheap pre-check: an event that none of them matches changes nothing but stale items.
   */
  List<Match> matches();

  /** {@code {"on": M}}: at each matching event. */
  record On(Match on) implements Trigger {
    public List<String> eventNames() {
      return List.of(on.event());
    }

    public List<Match> matches() {
      return List.of(on);
    }
  }

  /** {@code {"on": M, "thenNot": M2, "within": D, "sameProps": [..]}}: inaction after M. */
  record ThenNot(Match on, Match thenNot, long within, List<String> sameProps) implements Trigger {
    public List<String> eventNames() {
      return List.of(on.event(), thenNot.event());
    }

    public List<Match> matches() {
      return List.of(on, thenNot);
    }
  }

  /** {@code {"on": M, "then": M2, "within": D}}: at M2 if it comes within D after M. */
  record Then(Match on, Match then, long within) implements Trigger {
    public List<String> eventNames() {
      return List.of(on.event(), then.event());
    }

    public List<Match> matches() {
      return List.of(on, then);
    }
  }

  /** {@code {"on": M, "atLeast": N, "within": D}}: at the N-th M within any span D. */
  record AtLeast(Match on, int count, long within) implements Trigger {
    public List<String> eventNames() {
      return List.of(on.event());
    }

    public List<Match> matches() {
      return List.of(on);
    }
  }

  /** {@code {"on": M, "sum": PROP, "atLeast": X, "within": D}}: when the sum reaches X. */
  record Sum(Match on, String prop, double atLeast, long within) implements Trigger {
    public List<String> eventNames() {
      return List.of(on.event());
    }

    public List<Match> matches() {
      return List.of(on);
    }
  }

  /** {@code {"inactive": M, "for": D}}: D after the user's last M, if no M since. */
  record Inactive(Match on, long forMillis) implements Trigger {
    public List<String> eventNames() {
      return List.of(on.event());
    }

    public List<Match> matches() {
      return List.of(on);
    }
  }

  /** {@code {"on": M, "firstTime": true}}: at the user's first M ever. */
  record FirstTime(Match on) implements Trigger {
    public List<String> eventNames() {
      return List.of(on.event());
    }

    public List<Match> matches() {
      return List.of(on);
    }
  }
}
