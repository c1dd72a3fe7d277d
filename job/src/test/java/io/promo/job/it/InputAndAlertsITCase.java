package io.promo.job.it;

import static io.promo.job.it.Campaigns.T0;
import static io.promo.job.it.Campaigns.live;
import static io.promo.job.it.Campaigns.points;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input never stops the job (dead letters with their reasons, including LATE and FUTURE),
 * duplicate eventIds count once, delayed delivery at a local time, and the inventory and
 * limit alerts.
 */
class InputAndAlertsITCase {
  static PromoTestJob job;
  static List<JsonNode> grants;
  static List<JsonNode> deadLetters;
  static List<JsonNode> alerts;
  static long deliverAt;
  static final byte[] NOT_UTF8 = {(byte) 0xff, (byte) 0xfe, 0x41};

  @BeforeAll
  static void run() throws Exception {
    job = new PromoTestJob();
    long at = T0 - 120_000;
    job.upsert(live("hello", "{\"on\":{\"event\":\"hello\"}}", points(1), "{\"perUser\":{\"max\":10}}", null), at);
    // Delivered at the next local 10:30 (or later minute) in the user's zone after the event.
    ZoneId zone = ZoneId.of("Asia/Kolkata");
    ZonedDateTime local = Instant.ofEpochMilli(T0 + 60_000).atZone(zone).plusMinutes(5).truncatedTo(ChronoUnit.MINUTES);
    deliverAt = local.toInstant().toEpochMilli();
    job.upsert(live("later", "{\"on\":{\"event\":\"later\"}}", points(2), "{\"perUser\":{\"max\":1}}", null)
        .replace("\"schedule\"", "\"delivery\":{\"mode\":\"AT_LOCAL_TIME\",\"time\":\"" + local.toLocalTime() + "\"},\"schedule\""), at);
    job.upsert(live("stock", "{\"on\":{\"event\":\"claim\"}}",
        "{\"type\":\"PARTNER_VOUCHER\",\"series\":\"V1\",\"partner\":\"acme\",\"lowStock\":1}",
        "{\"perUser\":{\"max\":1},\"perCampaign\":{\"maxGrants\":3}}", null), at);
    job.command("{\"type\":\"codes.upload\",\"series\":\"V1\",\"partner\":\"acme\",\"codes\":[\"A1\",\"A2\",\"A3\"]}");
    // A2 already sits in V1 for acme: refused from V2; another partner may have it.
    job.command("{\"type\":\"codes.upload\",\"series\":\"V2\",\"partner\":\"acme\",\"codes\":[\"A2\",\"B1\"],\"commandId\":\"dup-1\"}");
    job.command("{\"type\":\"codes.upload\",\"series\":\"W1\",\"partner\":\"other\",\"codes\":[\"A2\"],\"commandId\":\"dup-2\"}");
    job.start();

    job.send("events", "u1", "{not json");
    job.send("events", "u1", "{\"eventId\":\"x\",\"name\":\"hello\",\"ts\":1}");
    job.send("events", "u1", NOT_UTF8);
    job.event("future", "u1", "hello", System.currentTimeMillis() + 3_600_000, null);
    job.event("h1", "u1", "hello", T0 + 60_000, null, "{\"tz\":\"Asia/Kolkata\"}");
    job.event("h1", "u1", "hello", T0 + 60_000, null); // the same eventId again: applied once
    job.event("l1", "u2", "later", T0 + 60_000, null, "{\"tz\":\"Asia/Kolkata\"}");
    for (int i = 1; i <= 4; i++) {
      job.event("c" + i, "c-user" + i, "claim", T0 + 60_000 + i, null);
    }
    grants = job.readAtLeast("grants", 5, Duration.ofSeconds(60));
    // Now event time follows the wall clock: an hour-old event is late.
    job.event("old", "u1", "hello", T0 + 120_000, null);
    job.event("h2", "u1", "hello", System.currentTimeMillis(), null); // and the job still runs
    grants = job.readAtLeast("grants", 6, Duration.ofSeconds(30));
    deadLetters = job.read("dead-letters", Duration.ofSeconds(20), l -> l.size() >= 5);
    alerts = job.read("alerts", Duration.ofSeconds(20), l -> l.size() >= 5);
  }

  @AfterAll
  static void stop() throws Exception {
    job.close();
  }

  static JsonNode deadLetter(String reasonPart) {
    return deadLetters.stream().filter(d -> d.get("reason").asText().contains(reasonPart)).findFirst()
        .orElseThrow(() -> new AssertionError("no dead letter with reason " + reasonPart + " in " + deadLetters));
  }

  @Test
  void badEventsBecomeDeadLettersWithTheirReason() {
    assertThat(deadLetters).hasSize(5);
    JsonNode malformed = deadLetter("malformed JSON");
    assertThat(malformed.get("payload").asText()).isEqualTo("{not json");
    assertThat(malformed.get("topic").asText()).isEqualTo(job.cfg.get("topic.events"));
    assertThat(malformed.get("partition").asInt()).isBetween(0, 3);
    assertThat(malformed.has("offset")).isTrue();
    assertThat(deadLetter("userId is missing").get("payload").asText()).contains("\"eventId\":\"x\"");
    assertThat(deadLetter("Invalid UTF-8").get("payload").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(NOT_UTF8));
    assertThat(deadLetter("FUTURE").get("payload").asText()).contains("\"future\"");
    assertThat(deadLetter("LATE").get("payload").asText()).contains("\"old\"");
  }

  @Test
  void theJobKeepsGrantingAfterBadInputAndAppliesARepeatedEventOnce() {
    assertThat(grants.stream().filter(g -> g.get("campaignId").asText().equals("hello")))
        .extracting(g -> g.get("trigger").get("eventId").asText())
        .containsExactlyInAnyOrder("h1", "h2");
  }

  @Test
  void aDelayedGrantIsWrittenAtItsLocalTime() {
    JsonNode later = grants.stream().filter(g -> g.get("campaignId").asText().equals("later")).findFirst().orElseThrow();
    assertThat(later.get("qualifiedAt").asLong()).isEqualTo(T0 + 60_000);
    assertThat(later.get("deliverAt").asLong()).isEqualTo(deliverAt);
  }

  @Test
  void vouchersComeFromTheSeriesOnceEachAndTheLimitHolds() {
    List<JsonNode> vouchers = grants.stream().filter(g -> g.get("campaignId").asText().equals("stock")).toList();
    // The ledger settles in event-time order: the earliest claim gets the first code uploaded.
    assertThat(vouchers).extracting(g -> g.get("trigger").get("eventId").asText() + "=" + g.get("reward").get("code").asText())
        .containsExactlyInAnyOrder("c1=A1", "c2=A2", "c3=A3");
    assertThat(vouchers).allSatisfy(g -> assertThat(g.get("reward").get("partner").asText()).isEqualTo("acme"));
  }

  @Test
  void alertsReportDuplicatesLowAndExhaustedStockAndTheLimit() {
    assertThat(alerts).anySatisfy(a -> {
      assertThat(a.get("type").asText()).isEqualTo("DUPLICATE_CODES");
      assertThat(a.get("commandId").asText()).isEqualTo("dup-1");
      assertThat(a.get("series").asText()).isEqualTo("V2");
      assertThat(a.get("message").asText()).contains("1 of 2").contains("A2");
    });
    assertThat(alerts).noneSatisfy(a -> assertThat(a.path("commandId").asText()).isEqualTo("dup-2"));
    assertThat(alerts).filteredOn(a -> a.get("type").asText().equals("INVENTORY_LOW")).singleElement()
        .satisfies(a -> assertThat(a.get("series").asText()).isEqualTo("V1"));
    assertThat(alerts).filteredOn(a -> a.get("type").asText().equals("INVENTORY_EXHAUSTED")).singleElement()
        .satisfies(a -> assertThat(a.get("campaignId").asText()).isEqualTo("stock"));
    assertThat(alerts).filteredOn(a -> a.get("type").asText().equals("CAMPAIGN_LIMIT_REACHED")).singleElement()
        .satisfies(a -> assertThat(a.get("campaignId").asText()).isEqualTo("stock"));
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
