package io.promo.flow;

import io.promo.model.Event;

/** What reaches a user's evaluator on its keyed input: an event, or a list membership change. */
public record UserInput(Event event, ListChange listChange) {
  public static UserInput of(Event e) {
    return new UserInput(e, null);
  }

  public static UserInput of(ListChange c) {
    return new UserInput(null, c);
  }

  public String userId() {
    return event != null ? event.userId() : listChange.userId();
  }
}
