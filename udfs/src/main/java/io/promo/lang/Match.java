package io.promo.lang;

import io.promo.model.Event;
import io.promo.time.Times;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code {"event": NAME, "where": [Cond, ...]}}: an event of that name whose props satisfy
 * every condition. The pseudo-props {@code $hour} (0–23) and {@code $dayOfWeek} (1 = Monday)
 * are the event's local time in the user's zone.
 */
public record Match(String event, List<Cond> where) {
  public static final String HOUR = "$hour";
  public static final String DAY_OF_WEEK = "$dayOfWeek";

  public boolean matches(Event e, ZoneId zone) {
    if (!event.equals(e.name())) {
      return false;
    }
    for (int i = 0, n = where.size(); i < n; i++) {
      Cond c = where.get(i);
      Object actual;
      if (c.prop().startsWith("$")) {
        actual = HOUR.equals(c.prop())
            ? (double) Times.localHour(e.ts(), zone)
            : (double) Times.localDayOfWeek(e.ts(), zone);
      } else {
        actual = e.props().get(c.prop());
      }
      if (!c.test(actual)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the event may match: its name, and every condition on a real property (the time
   * pseudo-props, which need the user's zone, are taken as satisfied). A cheap necessary
   * condition of {@link #matches}: false means {@code matches} is false for every zone.
   */
  public boolean mayMatch(Event e) {
    if (!event.equals(e.name())) {
      return false;
    }
    for (int i = 0, n = where.size(); i < n; i++) {
      Cond c = where.get(i);
      if (!c.prop().startsWith("$") && !c.test(e.props().get(c.prop()))) {
        return false;
      }
    }
    return true;
  }

  /** The numeric value of a property of the event, or NaN when it is absent or not a number. */
  public static double number(Event e, String prop) {
    return e.props().get(prop) instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
