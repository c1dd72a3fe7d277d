package io.promo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.flow.TriggerEngine;
import io.promo.flow.UserState;
import io.promo.json.EventCodec;
import io.promo.json.Json;
import io.promo.lang.Campaign;
import io.promo.lang.CampaignParser;
import io.promo.model.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's traffic, simulated on a fake clock: every event is a valid contract Event, the rate
 * holds, a user's events are in time order, and the behaviour the example campaigns look for
 * (examples/*.json) actually happens — each LIVE campaign that can fire within the demo's time
 * does, judged by the job's own trigger engine.
 */
class TrafficSimulationTest {
  private static final long START = Instant.parse("2026-11-28T08:00:00Z").toEpochMilli();
  private static final double RATE = 50;
  private static final long MINUTES = 40;
  private static final List<Event> EVENTS = new ArrayList<>();

  @BeforeAll
  static void simulate() {
    Population population = Population.create(2000, 42, START);
    Simulation sim = new Simulation(population, 42, "test", RATE);
    // The generator's pacing on a fake clock: RATE events a second, 20 ms ticks.
    double credit = 0;
    for (long now = START; now < START + MINUTES * 60_000; now += 20) {
      credit = Math.min(credit + 0.020 * RATE, RATE);
      while (credit >= 1) {
        Simulation.Emitted e = sim.next(now);
        if (e == null) {
          credit = 0;
          break;
        }
        EventCodec.Result r = EventCodec.parse(e.json().getBytes(StandardCharsets.UTF_8));
        assertThat(r.error()).as(e.json()).isNull();
        assertThat(r.event().userId()).isEqualTo(e.userId());
        EVENTS.add(r.event());
        credit -= 1;
      }
    }
  }

  @Test
  void keepsTheRateAfterTheWarmUp() {
    long afterWarmUp = EVENTS.stream().filter(e -> e.ts() >= START + 120_000).count();
    double perSecond = afterWarmUp / ((MINUTES - 2) * 60.0);
    assertThat(perSecond).isBetween(RATE * 0.95, RATE * 1.01);
    long firstMinute = EVENTS.stream().filter(e -> e.ts() < START + 60_000).count();
    assertThat(firstMinute).as("the warm-up ramps up quickly").isGreaterThan((long) (RATE * 60 * 0.6));
  }

  @Test
  void eachUsersEventsAreInTimeOrderAndIdsAreUnique() {
    Map<String, Long> last = new HashMap<>();
    for (Event e : EVENTS) {
      Long before = last.put(e.userId(), e.ts());
      assertThat(before == null || before <= e.ts()).as(e.userId()).isTrue();
    }
    assertThat(EVENTS.stream().map(Event::eventId).distinct().count()).isEqualTo(EVENTS.size());
  }

  @Test
  void everyPersonaShowsUp() {
    Map<String, Long> byName = new TreeMap<>();
    EVENTS.forEach(e -> byName.merge(e.name(), 1L, Long::sum));
    assertThat(byName).containsKeys("app_open", "view_item", "add_to_cart", "checkout", "order", "payment",
        "level_complete", "coins_spent", "signup", "kyc_completed");
    assertThat(EVENTS).anyMatch(e -> e.name().equals("order") && ((Number) e.props().get("amount")).doubleValue() >= 1000);
    assertThat(EVENTS).anyMatch(e -> e.name().equals("payment") && "UPI".equals(e.props().get("method")));
    assertThat(EVENTS).anyMatch(e -> e.userId().startsWith("staff-"));
    // Some users go quiet: active in the first minutes, nothing in the last ten.
    Map<String, long[]> span = new HashMap<>();
    for (Event e : EVENTS) {
      span.computeIfAbsent(e.userId(), u -> new long[] {e.ts(), e.ts()})[1] = e.ts();
    }
    long quiet = span.values().stream()
        .filter(t -> t[0] < START + 5 * 60_000 && t[1] < START + 30 * 60_000).count();
    assertThat(quiet).isGreaterThan(50);
  }

  /**
   * Runs each example campaign's trigger over every user's events with the job's TriggerEngine (and
   * without segments): all but the win-back (30 days of inactivity) and
   * the draft sign-up bonus (its trigger still fires) qualify someone within the demo's 40 minutes.
   */
  @Test
  void theExampleCampaignsQualifyUsers() throws Exception {
    Path examples = Path.of("").toAbsolutePath().getParent().resolve("examples");
    List<Path> files;
    try (Stream<Path> s = Files.list(examples)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    Map<String, Integer> fired = new TreeMap<>();
    for (Path f : files) {
      JsonNode node = Json.MAPPER.readTree(f.toFile());
      CampaignParser.Result parsed = CampaignParser.parse(node);
      assertThat(parsed.errors()).as(f.toString()).isEmpty();
      Campaign c = parsed.campaign();
      if (c.trigger() == null) {
        continue;
      }
      String baseProp = c.reward() == null ? null : c.reward().of();
      Map<String, UserState.Progress> progress = new HashMap<>();
      Map<String, ZoneId> zones = new HashMap<>();
      List<TriggerEngine.Fired> out = new ArrayList<>();
      boolean fires = TriggerEngine.fires(c.trigger());
      int count = 0;
      for (Event e : EVENTS) {
        if (e.profile().get("tz") instanceof String tz) {
          zones.put(e.userId(), ZoneId.of(tz));
        }
        UserState.Progress p = progress.computeIfAbsent(e.userId(), u -> new UserState.Progress());
        out.clear();
        TriggerEngine.takeDue(p, e.ts(), fires, out);
        TriggerEngine.onEvent(c.trigger(), p, e, zones.getOrDefault(e.userId(), ZoneId.of("UTC")), baseProp, out);
        count += out.size();
      }
      for (UserState.Progress p : progress.values()) {
        out.clear();
        TriggerEngine.takeDue(p, START + MINUTES * 60_000, fires, out);
        count += out.size();
      }
      fired.put(c.id(), count);
    }
    System.out.println("qualifications in " + MINUTES + " simulated minutes at " + RATE + " events/s: " + fired);
    assertThat(fired).containsKeys("cart-abandon-10", "first-upi-bonus", "game-3-levels-week",
        "game-spend-1000-coins", "high-spender-5pct", "off-peak-cashback", "signup-kyc-24h", "win-back-30d");
    fired.forEach((id, n) -> {
      if (!id.equals("win-back-30d")) {
        assertThat(n).as("qualifications of %s in %s minutes (all: %s)", id, MINUTES, fired).isGreaterThan(5);
      }
    });
  }
}
