package io.promo.job.it;

import static io.promo.job.it.Campaigns.T0;
import static io.promo.job.it.Campaigns.live;
import static io.promo.job.it.Campaigns.points;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every LIVE trigger form end to end: real broker, MiniCluster at parallelism 2, events fed as
 * history (an hour old) so that, once the input goes quiet, event time catches up with the wall
 * clock and every inaction deadline fires.
 */
class LiveTriggersITCase {
  static PromoTestJob job;
  static List<JsonNode> grants;
  static List<JsonNode> rejections;

  @BeforeAll
  static void run() throws Exception {
    // History is fed while the job runs: a partition must not fall quiet between its events.
    job = new PromoTestJob("quiet-after", "PT5S");
    String on = "{\"event\":\"add_to_cart\",\"where\":[{\"prop\":\"amount\",\"op\":\"gte\",\"value\":50}]}";
    job.upsert(live("on", "{\"on\":" + on + "}", points(10)), T0 - 120_000);
    job.upsert(live("then-not", "{\"on\":{\"event\":\"view\"},\"thenNot\":{\"event\":\"buy\"},\"within\":\"PT30M\"}", points(20)), T0 - 120_000);
    job.upsert(live("then-not-same", "{\"on\":{\"event\":\"cart\"},\"thenNot\":{\"event\":\"checkout\"},\"within\":\"PT30M\",\"sameProps\":[\"sku\"]}",
        points(21), "{\"perUser\":{\"max\":5}}", null), T0 - 120_000);
    job.upsert(live("then", "{\"on\":{\"event\":\"signup\"},\"then\":{\"event\":\"kyc\"},\"within\":\"PT10M\"}", points(30)), T0 - 120_000);
    job.upsert(live("at-least", "{\"on\":{\"event\":\"level_up\"},\"atLeast\":3,\"within\":\"P7D\"}", points(40)), T0 - 120_000);
    job.upsert(live("sum", "{\"on\":{\"event\":\"order\"},\"sum\":\"amount\",\"atLeast\":1000,\"within\":\"P30D\"}",
        "{\"type\":\"WALLET_POINTS\",\"percent\":10,\"of\":\"amount\",\"maxPoints\":50}"), T0 - 120_000);
    job.upsert(live("inactive", "{\"inactive\":{\"event\":\"order\"},\"for\":\"PT20M\"}", points(50)), T0 - 120_000);
    job.upsert(live("first", "{\"on\":{\"event\":\"upi_payment\"},\"firstTime\":true}",
        "{\"type\":\"SINGLE_CODE_COUPON\",\"code\":\"WELCOME\",\"validFor\":\"P7D\"}", "{\"perUser\":{\"max\":5}}", null), T0 - 120_000);
    job.upsert(live("pune-only", "{\"on\":{\"event\":\"open\"}}", points(5), "{\"perUser\":{\"max\":1}}",
        "{\"all\":[{\"profile\":{\"prop\":\"city\",\"op\":\"in\",\"value\":[\"Pune\"]}}]}"), T0 - 120_000);
    job.start();

    long m = 60_000;
    List<Ev> later = new ArrayList<>();
    // on: u1 qualifies once (amount 60), u2's amount is too small; u1 again → USER_LIMIT
    later.add(new Ev("e1", "u1", "add_to_cart", T0 + m, "{\"amount\":60}"));
    later.add(new Ev("e2", "u2", "add_to_cart", T0 + m, "{\"amount\":10}"));
    later.add(new Ev("e3", "u1", "add_to_cart", T0 + 2 * m, "{\"amount\":70}"));
    // thenNot: u3 views and never buys → qualifies at +30 min; u4 buys in time → nothing
    later.add(new Ev("v3", "u3", "view", T0 + m, null));
    later.add(new Ev("v4", "u4", "view", T0 + m, null));
    later.add(new Ev("b4", "u4", "buy", T0 + 10 * m, null));
    // thenNot with sameProps: checkout of sku B does not cancel the cart of sku A
    later.add(new Ev("c5a", "u5", "cart", T0 + m, "{\"sku\":\"A\"}"));
    later.add(new Ev("c5b", "u5", "cart", T0 + m + 1, "{\"sku\":\"B\"}"));
    later.add(new Ev("k5b", "u5", "checkout", T0 + 5 * m, "{\"sku\":\"B\"}"));
    // then: u6 completes KYC in 5 min; u7 too late
    later.add(new Ev("s6", "u6", "signup", T0 + m, null));
    later.add(new Ev("k6", "u6", "kyc", T0 + 6 * m, null));
    later.add(new Ev("s7", "u7", "signup", T0 + m, null));
    later.add(new Ev("k7", "u7", "kyc", T0 + 20 * m, null));
    // atLeast 3 within 7 days: u9 only two (u8's three come below, out of order)
    later.add(new Ev("l9a", "u9", "level_up", T0 + m, null));
    later.add(new Ev("l9b", "u9", "level_up", T0 + 2 * m, null));
    // sum ≥ 1000 within 30 days, 10% of the order reaching it, capped at 50: u10 600 + 500 → 50 points
    later.add(new Ev("o10a", "u10", "order", T0 + m, "{\"amount\":600}"));
    later.add(new Ev("o10b", "u10", "order", T0 + 2 * m, "{\"amount\":500}"));
    // inactive for 20 min after the last order: u10's last order at +2 min → qualifies at +22 min
    // firstTime: u11 pays twice → one grant, triggered by the first payment
    later.add(new Ev("p11a", "u11", "upi_payment", T0 + m, null));
    later.add(new Ev("p11b", "u11", "upi_payment", T0 + 2 * m, null));
    // profile segment: u12 in Pune (profile on the same event), u13 in Delhi
    later.add(new Ev("o12", "u12", "open", T0 + m, null, "{\"city\":\"Pune\"}"));
    later.add(new Ev("o13", "u13", "open", T0 + m, null, "{\"city\":\"Delhi\"}"));

    // History must come in time order per partition (the bound is 1 s here): send it sorted.
    later.sort(java.util.Comparator.comparingLong(Ev::ts));
    for (Ev e : later) {
      job.event(e.id(), e.user(), e.name(), e.ts(), e.props(), e.profile());
    }
    // Out of order within the bound counts as in order: u8's three level-ups, newest first.
    job.event("l8c", "u8", "level_up", T0 + 30 * m, null);
    job.event("l8a", "u8", "level_up", T0 + 30 * m - 500, null);
    job.event("l8b", "u8", "level_up", T0 + 30 * m - 200, null);

    grants = job.readAtLeast("grants", 9, Duration.ofSeconds(60));
    rejections = job.read("rejections", Duration.ofSeconds(5), l -> l.size() >= 1);
  }

  record Ev(String id, String user, String name, long ts, String props, String profile) {
    Ev(String id, String user, String name, long ts, String props) {
      this(id, user, name, ts, props, null);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    job.close();
  }

  static Set<String> granted() {
    return grants.stream()
        .map(g -> g.get("campaignId").asText() + "/" + g.get("userId").asText() + "/" + g.path("trigger").path("eventId").asText())
        .collect(Collectors.toSet());
  }

  @Test
  void exactlyTheExpectedGrants() {
    assertThat(granted()).containsExactlyInAnyOrder(
        "on/u1/e1",
        "then-not/u3/v3",
        "then-not-same/u5/c5a",
        "then/u6/k6",
        "at-least/u8/l8c",
        "sum/u10/o10b",
        "inactive/u10/o10b",
        "first/u11/p11a",
        "pune-only/u12/o12");
    assertThat(grants).hasSize(9);
  }

  @Test
  void grantsCarryTheContractFields() {
    JsonNode sum = grants.stream().filter(g -> g.get("campaignId").asText().equals("sum")).findFirst().orElseThrow();
    assertThat(sum.get("reward").get("type").asText()).isEqualTo("WALLET_POINTS");
    assertThat(sum.get("reward").get("points").asLong()).isEqualTo(50);
    assertThat(sum.get("campaignVersion").asInt()).isEqualTo(1);
    assertThat(sum.get("_key").asText()).isEqualTo("u10");
    assertThat(sum.get("qualifiedAt").asLong()).isEqualTo(T0 + 2 * 60_000);
    assertThat(sum.get("issuedAt").asLong()).isGreaterThan(sum.get("qualifiedAt").asLong());

    JsonNode thenNot = grants.stream().filter(g -> g.get("campaignId").asText().equals("then-not")).findFirst().orElseThrow();
    assertThat(thenNot.get("qualifiedAt").asLong()).isEqualTo(T0 + 31 * 60_000);
    assertThat(thenNot.get("deliverAt").asLong()).isEqualTo(T0 + 31 * 60_000);

    JsonNode first = grants.stream().filter(g -> g.get("campaignId").asText().equals("first")).findFirst().orElseThrow();
    assertThat(first.get("reward").get("code").asText()).isEqualTo("WELCOME");
    assertThat(first.get("reward").get("expiresAt").asLong()).isEqualTo(T0 + 60_000 + 7 * 86_400_000L);
  }

  @Test
  void secondQualificationOfALimitedUserIsRejected() {
    assertThat(rejections).anySatisfy(r -> {
      assertThat(r.get("campaignId").asText()).isEqualTo("on");
      assertThat(r.get("userId").asText()).isEqualTo("u1");
      assertThat(r.get("reason").asText()).isEqualTo("USER_LIMIT");
      assertThat(r.get("trigger").get("eventId").asText()).isEqualTo("e3");
    });
  }
}
