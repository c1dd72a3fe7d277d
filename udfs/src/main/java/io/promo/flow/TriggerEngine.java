package io.promo.flow;

import io.promo.lang.Match;
import io.promo.lang.Trigger;
import io.promo.model.Event;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.List;

/**
 * Advances one user's progress in one LIVE trigger. Pure: no Flink, no clock. Progress keeps
 * only (time, id, value) items, never raw events; items either fire at their {@code due} time
 * (inaction forms) or expire then (window forms).
 */
public final class TriggerEngine {
  private TriggerEngine() {}

  /** Items kept per user and campaign at most; beyond it the oldest is dropped. */
  public static final int MAX_ITEMS = 1000;

  /** A qualification found: the triggering event, the base value for percent rewards, and when. */
  public record Fired(String eventId, long eventTs, double base, long at) {}

  /** Whether the trigger's items fire at their due time (true) or just expire then. */
  public static boolean fires(Trigger t) {
    return t instanceof Trigger.ThenNot || t instanceof Trigger.Inactive;
  }

  /**
   * A cheap pre-check before {@link #onEvent}: whether the event may match one of the trigger's
   * matches (name and the conditions on real props; {@code $hour}/{@code $dayOfWeek} are taken
   * as satisfied). When it is false, {@code onEvent} would neither fire nor add, cancel or count
   * anything: its only possible effect is {@code Then}'s dropping of items older than its
   * window, which the next matching event and the evaluator's clean-up do anyway. So a caller
   * may skip the campaign (and creating its progress) for this event.
   */
  public static boolean mayMatch(Trigger t, Event e) {
    if (t instanceof Trigger.ThenNot tn) {
      return tn.on().mayMatch(e) || tn.thenNot().mayMatch(e);
    }
    if (t instanceof Trigger.Then th) {
      return th.on().mayMatch(e) || th.then().mayMatch(e);
    }
    return t.on().mayMatch(e);
  }

  /**
   * Whether the event may start the trigger: {@link #mayMatch} on its {@code on} match only. A
   * user with no progress in the campaign is changed by an event only through that match (a
   * {@code thenNot} or {@code then} event has nothing to cancel or complete, and {@code
   * firstTime} is not done yet), so with no progress a caller may skip the campaign when this is
   * false, even if {@link #mayMatch} is true.
   */
  public static boolean mayStart(Trigger t, Event e) {
    return t.on().mayMatch(e);
  }

  /**
   * Applies an event to the progress.
   *
   * @param baseProp the reward's percent-of property, or null
   */
  public static void onEvent(
      Trigger t, UserState.Progress p, Event e, ZoneId zone, String baseProp, List<Fired> out) {
    double base = baseProp == null ? Double.NaN : Match.number(e, baseProp);
    if (t instanceof Trigger.On on) {
      if (on.on().matches(e, zone)) {
        out.add(new Fired(e.eventId(), e.ts(), base, e.ts()));
      }
    } else if (t instanceof Trigger.FirstTime ft) {
      if (!p.done && ft.on().matches(e, zone)) {
        p.done = true;
        out.add(new Fired(e.eventId(), e.ts(), base, e.ts()));
      }
    } else if (t instanceof Trigger.ThenNot tn) {
      if (tn.thenNot().matches(e, zone)) {
        String sig = signature(e, tn.sameProps());
        p.items.removeIf(
            it -> it.ts() <= e.ts() && (tn.sameProps().isEmpty() || sig.equals(it.signature())));
      }
      if (tn.on().matches(e, zone)) {
        add(p, new UserState.Item(e.ts(), e.eventId(), base, signature(e, tn.sameProps()), e.ts() + tn.within()));
      }
    } else if (t instanceof Trigger.Then th) {
      expire(p, e.ts() - th.within());
      if (th.then().matches(e, zone) && !p.items.isEmpty()) {
        p.items.clear();
        out.add(new Fired(e.eventId(), e.ts(), base, e.ts()));
      } else if (th.on().matches(e, zone)) {
        add(p, new UserState.Item(e.ts(), e.eventId(), 0, null, e.ts() + th.within()));
      }
    } else if (t instanceof Trigger.AtLeast al) {
      if (al.on().matches(e, zone)) {
        expire(p, e.ts() - al.within());
        add(p, new UserState.Item(e.ts(), e.eventId(), 1, null, e.ts() + al.within()));
        if (p.items.size() >= al.count()) {
          p.items.clear();
          out.add(new Fired(e.eventId(), e.ts(), base, e.ts()));
        }
      }
    } else if (t instanceof Trigger.Sum sum) {
      double amount = Match.number(e, sum.prop());
      if (!Double.isNaN(amount) && sum.on().matches(e, zone)) {
        expire(p, e.ts() - sum.within());
        add(p, new UserState.Item(e.ts(), e.eventId(), amount, null, e.ts() + sum.within()));
        double total = 0;
        for (UserState.Item it : p.items) {
          total += it.value();
        }
        if (total >= sum.atLeast() - 1e-9) {
          p.items.clear();
          out.add(new Fired(e.eventId(), e.ts(), base, e.ts()));
        }
      }
    } else if (t instanceof Trigger.Inactive in) {
      if (in.on().matches(e, zone)) {
        p.items.clear();
        p.items.add(new UserState.Item(e.ts(), e.eventId(), base, null, e.ts() + in.forMillis()));
      }
    }
  }

  /** The earliest due time of the progress' items, or Long.MAX_VALUE. */
  public static long nextDue(UserState.Progress p) {
    long min = Long.MAX_VALUE;
    for (UserState.Item it : p.items) {
      min = Math.min(min, it.due());
    }
    return min;
  }

  /** Removes the items due at or before {@code t}; for firing forms reports them in {@code out}. */
  public static void takeDue(UserState.Progress p, long t, boolean fires, List<Fired> out) {
    for (Iterator<UserState.Item> it = p.items.iterator(); it.hasNext(); ) {
      UserState.Item item = it.next();
      if (item.due() <= t) {
        it.remove();
        if (fires) {
          out.add(new Fired(item.eventId(), item.ts(), item.value(), item.due()));
        }
      }
    }
  }

  private static void expire(UserState.Progress p, long before) {
    p.items.removeIf(it -> it.ts() < before);
  }

  private static void add(UserState.Progress p, UserState.Item item) {
    int i = p.items.size();
    while (i > 0 && p.items.get(i - 1).ts() > item.ts()) {
      i--;
    }
    p.items.add(i, item);
    if (p.items.size() > MAX_ITEMS) {
      p.items.remove(0);
    }
  }

  static String signature(Event e, List<String> props) {
    if (props.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String prop : props) {
      sb.append(e.props().get(prop)).append('\u0001');
    }
    return sb.toString();
  }
}
