package io.promo.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promo.demo.Population.Persona;
import io.promo.demo.Population.User;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Turns the population into a stream of contract Events (CONTRACT §2), one at a time, at whatever
 * pace the caller asks for them. Users act in sessions (open the app, browse, add to the cart,
 * check out, order, pay; or play levels and spend coins; or sign up and complete KYC); the events of
 * a session are spaced by human "think times", and a user runs one session at a time. When no
 * session step is due, a new session starts for an idle user picked by persona. Pure: the caller
 * passes the wall clock; the same seed and clock give the same events.
 *
 * <p>The event names and props match the example campaigns in {@code examples/}:
 * {@code add_to_cart{amount,sku}}, {@code checkout{sku,amount}}, {@code order{orderId,amount,items}},
 * {@code payment{method,amount,status}}, {@code level_complete{level,mode}},
 * {@code coins_spent{coins,item}}, {@code signup{channel}}, {@code kyc_completed{method}}, plus
 * {@code app_open{platform}} (which carries the user's profile) and {@code view_item{sku,category}}.
 */
final class Simulation {
  /** One event, ready to send: the Kafka key and the JSON value. */
  record Emitted(String userId, String name, String json) {}

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String[] CATEGORIES = {"shoes", "phones", "books", "grocery", "toys", "fashion", "home", "beauty"};
  private static final String[] GAME_ITEMS = {"skin", "booster", "extra-life", "chest", "pet"};

  /** A step of a session: the event to send and how long after the previous step. */
  private record Step(String name, ObjectNode props, long delayMs) {}

  /** The rest of one user's session, due at {@code due}. */
  private record Pending(long due, long order, User user, Deque<Step> steps) {}

  private final Population population;
  private final Random rnd;
  private final String runId;
  private final PriorityQueue<Pending> pending =
      new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
  private long seq;
  private long orders;
  private long sessionsStarted;
  private final int totalSessionWeight;

  /** Target events per second (0: no limit on new sessions). */
  private final double rate;
  /** Running mean of events per session, to pace session starts. */
  private double eventsPerSession = 6;
  private double startCredit = 1;
  private long lastNow = Long.MIN_VALUE;

  /**
   * @param rate the events per second the caller will ask for: new sessions start at most at
   *     twice the rate that sustains it, so that a fresh start ramps up instead of opening
   *     hundreds of sessions in its first seconds (0: no limit)
   */
  Simulation(Population population, long seed, String runId, double rate) {
    this.population = population;
    this.rate = rate;
    this.rnd = new Random(seed ^ 0x5DEECE66DL);
    this.runId = runId;
    int w = 0;
    for (Persona p : Persona.values()) {
      if (!population.byPersona.get(p).isEmpty()) {
        w += p.sessionWeight;
      }
    }
    this.totalSessionWeight = w;
  }

  long sessionsStarted() {
    return sessionsStarted;
  }

  int openSessions() {
    return pending.size();
  }

  /** Users of the population who went quiet before {@code now}. */
  long quietUsers(long now) {
    return population.byPersona.get(Persona.GOES_QUIET).stream().filter(u -> u.quiet(now)).count();
  }

  /**
   * The next event at wall-clock time {@code now} (its {@code ts}): a due step of an open session,
   * else the first step of a new session. Null when no step is due and no new session may start yet (pacing), or every user is busy or
   * gone quiet.
   */
  Emitted next(long now) {
    Pending p = pending.peek();
    if (p != null && p.due() <= now) {
      pending.poll();
      return emit(p.user(), p.steps(), now);
    }
    if (rate > 0) {
      double perSecond = 2 * rate / eventsPerSession;
      if (lastNow != Long.MIN_VALUE) {
        startCredit = Math.min(startCredit + (now - lastNow) / 1000.0 * perSecond, Math.max(1, perSecond));
      }
      lastNow = now;
      if (startCredit < 1) {
        return null;
      }
    }
    User u = pickIdleUser(now);
    if (u == null) {
      return null;
    }
    startCredit -= 1;
    sessionsStarted++;
    u.sessions++;
    List<Step> steps = session(u);
    eventsPerSession += (steps.size() - eventsPerSession) / Math.min(sessionsStarted, 200);
    return emit(u, new ArrayDeque<>(steps), now);
  }

  private Emitted emit(User u, Deque<Step> steps, long now) {
    Step s = steps.poll();
    ObjectNode e = JSON.objectNode();
    e.put("eventId", "e-" + runId + "-" + (++seq));
    e.put("userId", u.id);
    e.put("name", s.name());
    e.put("ts", now);
    e.set("props", s.props());
    if (s.name().equals("app_open") || s.name().equals("signup") || u.events == 0) {
      // Apps send the user's properties with the first event of a session (CONTRACT §2 profile).
      e.set("profile", profile(u));
    }
    u.events++;
    if (steps.isEmpty()) {
      u.idleAt = now + 20_000 + rnd.nextInt(60_000);
    } else {
      pending.add(new Pending(now + steps.peek().delayMs(), seq, u, steps));
    }
    return new Emitted(u.id, s.name(), e.toString());
  }

  private static ObjectNode profile(User u) {
    ObjectNode p = JSON.objectNode();
    p.put("tz", u.place.tz());
    p.put("city", u.place.city());
    p.put("country", u.place.country());
    p.put("age", u.age);
    p.put("marketingOptIn", u.marketingOptIn);
    p.put("platform", u.platform);
    return p;
  }

  // ---- who acts next -----------------------------------------------------------------------

  private User pickIdleUser(long now) {
    for (int attempt = 0; attempt < 40; attempt++) {
      List<User> group;
      if (!population.staff.isEmpty() && rnd.nextInt(100) == 0) {
        group = population.staff;
      } else {
        group = population.byPersona.get(pickPersona());
      }
      if (group.isEmpty()) {
        continue;
      }
      User u = group.get(rnd.nextInt(group.size()));
      if (u.idleAt <= now && !u.quiet(now)) {
        return u;
      }
    }
    // Busy population (a high rate for few users): anyone idle at all.
    List<User> idle = new ArrayList<>();
    for (User u : population.users) {
      if (u.idleAt <= now && !u.quiet(now)) {
        idle.add(u);
      }
    }
    return idle.isEmpty() ? null : idle.get(rnd.nextInt(idle.size()));
  }

  private Persona pickPersona() {
    int r = rnd.nextInt(totalSessionWeight);
    for (Persona p : Persona.values()) {
      if (population.byPersona.get(p).isEmpty()) {
        continue;
      }
      r -= p.sessionWeight;
      if (r < 0) {
        return p;
      }
    }
    return Persona.SHOPPER;
  }

  // ---- what they do --------------------------------------------------------------------------

  private List<Step> session(User u) {
    List<Step> s = new ArrayList<>();
    s.add(new Step("app_open", props().put("platform", u.platform), 0));
    if (!u.signedUp) {
      newcomer(u, s);
      return s;
    }
    switch (u.persona) {
      case CART_ABANDONER -> abandoner(u, s);
      case BIG_SPENDER -> shop(u, s, rnd.nextInt(10) == 0 ? amount(600, 999) : amount(1000, 6000), paymentMethod(u));
      case OFF_PEAK_SHOPPER -> shop(u, s, amount(150, 1500), paymentMethod(u));
      case UPI_PAYER -> shop(u, s, amount(80, 900), "UPI");
      case GAMER -> play(u, s);
      default -> {
        if (rnd.nextInt(4) == 0) {
          browse(s, 1 + rnd.nextInt(3)); // just looking
        } else {
          shop(u, s, amount(40, 800), paymentMethod(u));
        }
      }
    }
    return s;
  }

  private void newcomer(User u, List<Step> s) {
    String[] channels = {"organic", "referral", "ads", "partner"};
    s.add(new Step("signup", props().put("channel", channels[rnd.nextInt(channels.length)]), think(3, 20)));
    u.signedUp = true;
    if (rnd.nextInt(10) < 7) {
      String[] methods = {"aadhaar", "pan", "passport", "driving_licence"};
      s.add(new Step("kyc_completed", props().put("method", methods[rnd.nextInt(methods.length)]), think(20, 120)));
    }
  }

  private void abandoner(User u, List<Step> s) {
    browse(s, 1 + rnd.nextInt(2));
    String sku = sku();
    double amount = amount(50, 600);
    s.add(new Step("add_to_cart", props().put("sku", sku).put("amount", amount).put("qty", 1), think(3, 20)));
    if (rnd.nextInt(10) < 3) {
      s.add(new Step("add_to_cart", props().put("sku", sku()).put("amount", amount(20, 300)).put("qty", 1), think(5, 30)));
    }
    if (rnd.nextInt(100) < 15) {
      // Changed their mind and came back to buy: no coupon for them.
      s.add(new Step("checkout", props().put("sku", sku).put("amount", amount), think(30, 240)));
      order(u, s, amount, paymentMethod(u));
    }
  }

  private void browse(List<Step> s, int items) {
    for (int i = 0; i < items; i++) {
      s.add(new Step("view_item", props().put("sku", sku()).put("category", CATEGORIES[rnd.nextInt(CATEGORIES.length)]),
          think(2, 15)));
    }
  }

  private void shop(User u, List<Step> s, double amount, String method) {
    browse(s, rnd.nextInt(3));
    String sku = sku();
    s.add(new Step("add_to_cart", props().put("sku", sku).put("amount", amount).put("qty", 1), think(3, 20)));
    s.add(new Step("checkout", props().put("sku", sku).put("amount", amount), think(5, 40)));
    order(u, s, amount, method);
  }

  private void order(User u, List<Step> s, double amount, String method) {
    s.add(new Step("order", props().put("orderId", "o-" + runId + "-" + (++orders))
        .put("amount", amount).put("items", 1 + rnd.nextInt(3)), think(1, 6)));
    if (rnd.nextInt(100) < 6) {
      // A failed attempt, then a successful retry (the first-payment bonus ignores failures).
      s.add(new Step("payment", props().put("method", method).put("amount", amount).put("status", "FAILED"), think(1, 5)));
      s.add(new Step("payment", props().put("method", method).put("amount", amount).put("status", "SUCCESS"), think(5, 20)));
    } else {
      s.add(new Step("payment", props().put("method", method).put("amount", amount).put("status", "SUCCESS"), think(1, 5)));
    }
  }

  private void play(User u, List<Step> s) {
    if (u.level == 0) {
      s.add(new Step("level_complete", props().put("level", 0).put("mode", "tutorial"), think(20, 60)));
    }
    int levels = 1 + rnd.nextInt(3);
    for (int i = 0; i < levels; i++) {
      s.add(new Step("level_complete", props().put("level", ++u.level).put("mode", "story"), think(10, 45)));
    }
    if (rnd.nextInt(100) < 70) {
      s.add(new Step("coins_spent",
          props().put("coins", 50 * (2 + rnd.nextInt(11))).put("item", GAME_ITEMS[rnd.nextInt(GAME_ITEMS.length)]),
          think(3, 20)));
    }
  }

  // ---- small helpers -------------------------------------------------------------------------

  private static ObjectNode props() {
    return JSON.objectNode();
  }

  private long think(int minSeconds, int maxSeconds) {
    return 1000L * minSeconds + rnd.nextInt(1000 * (maxSeconds - minSeconds) + 1);
  }

  /** An amount in [min, max], with cents below 1000, whole above. */
  private double amount(int min, int max) {
    double a = min + rnd.nextDouble() * (max - min);
    return a >= 1000 ? Math.round(a) : Math.round(a * 100) / 100.0;
  }

  private String sku() {
    return "SKU-" + (char) ('A' + rnd.nextInt(8)) + (100 + rnd.nextInt(900));
  }

  private String paymentMethod(User u) {
    int r = rnd.nextInt(100);
    if (u.isIndian()) {
      return r < 40 ? "UPI" : r < 70 ? "CARD" : r < 88 ? "WALLET" : "NETBANKING";
    }
    return r < 75 ? "CARD" : "WALLET";
  }
}
