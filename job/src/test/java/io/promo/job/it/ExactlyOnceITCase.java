package io.promo.job.it;

import static io.promo.job.it.Campaigns.T0;
import static io.promo.job.it.Campaigns.live;
import static io.promo.job.it.Campaigns.points;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.flow.EventDecoder;
import io.promo.flow.EventRecord;
import io.promo.job.Io;
import io.promo.job.kafka.EventsDeserializer;
import io.promo.job.kafka.KafkaIo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guarantees 1, 2 and 5 against a real broker at parallelism 2: a failure is injected after a
 * checkpoint in the middle of the input; what a read_committed consumer sees must equal the
 * oracle exactly (no duplicate, no loss), limits and inventory must hold, and a replay of the
 * control and events topics into a fresh job must give the same grants.
 */
class ExactlyOnceITCase {
  static final int USERS = 20;
  static final int EVENTS = 300;
  static final int MAX_GRANTS = 150;
  static final int CODES = 100;

  /** Set when the injected failure has happened (the MiniCluster runs in this JVM). */
  static final AtomicBoolean FAILED = new AtomicBoolean();

  static PromoTestJob job;
  static List<JsonNode> grants;
  static List<JsonNode> rejections;
  static List<String> uploaded = new ArrayList<>();

  /** Throws once on the record named "boom", as a crashing task would. */
  static final class FailOnce implements KafkaRecordDeserializationSchema<EventRecord> {
    private final EventsDeserializer inner;

    FailOnce(EventsDeserializer inner) {
      this.inner = inner;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<EventRecord> out) {
      if (new String(r.value(), StandardCharsets.UTF_8).contains("\"boom\"") && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure");
      }
      inner.deserialize(r, out);
    }

    @Override
    public TypeInformation<EventRecord> getProducedType() {
      return inner.getProducedType();
    }
  }

  @BeforeAll
  static void run() throws Exception {
    job = new PromoTestJob();
    job.upsert(live("eo-points", "{\"on\":{\"event\":\"buy\"}}", points(10),
        "{\"perUser\":{\"max\":1000},\"perCampaign\":{\"maxGrants\":" + MAX_GRANTS + "}}", null), T0 - 120_000);
    job.upsert(live("eo-codes", "{\"on\":{\"event\":\"buy\"}}",
        "{\"type\":\"BULK_COUPON_CODES\",\"series\":\"EO\",\"lowStock\":10}", "{\"perUser\":{\"max\":1000}}", null), T0 - 120_000);
    for (int i = 0; i < CODES; i++) {
      uploaded.add("EO-" + i);
    }
    job.command("{\"type\":\"codes.upload\",\"series\":\"EO\",\"codes\":" + json(uploaded.subList(0, 50)) + "}");
    job.command("{\"type\":\"codes.upload\",\"series\":\"EO\",\"codes\":" + json(uploaded.subList(50, CODES)) + "}");

    Io kafka = io.promo.job.kafka.KafkaIo.create(job.cfg);
    EventsDeserializer real = new EventsDeserializer(new EventDecoder(job.cfg.duration("future-bound").toMillis()));
    Io failing = new Io(KafkaIo.eventsSource(job.cfg, new FailOnce(real)), kafka.eventsEnd(), kafka.control(), kafka.controlEnd(),
        kafka.grants(), kafka.rejections(), kafka.alerts(), kafka.status(), kafka.deadLetters());
    job.start(failing, System::currentTimeMillis);

    for (int i = 0; i < EVENTS / 2; i++) {
      buy(i);
    }
    // A checkpoint has completed once grants are visible to read_committed readers.
    assertThat(job.read("grants", Duration.ofSeconds(60), l -> !l.isEmpty())).isNotEmpty();
    job.event("boom-1", "u-boom", "boom", System.currentTimeMillis(), null);
    for (int i = EVENTS / 2; i < EVENTS; i++) {
      buy(i);
    }
    grants = job.readAtLeast("grants", MAX_GRANTS + CODES, Duration.ofSeconds(90));
    rejections = job.readAtLeast("rejections", (EVENTS - MAX_GRANTS) + (EVENTS - CODES), Duration.ofSeconds(30));
  }

  private static long lastTs;

  /**
   * Sends buy number i at the wall clock (strictly increasing): live input, so that the quiet
   * period around the injected failure cannot make any of it late.
   */
  static void buy(int i) throws Exception {
    lastTs = Math.max(lastTs + 1, System.currentTimeMillis());
    job.event("b-" + i, "u" + (i % USERS), "buy", lastTs, null);
  }

  static String json(List<String> codes) {
    return codes.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(",", "[", "]"));
  }

  @AfterAll
  static void stop() throws Exception {
    job.close();
  }

  /** campaign/user/trigger of every grant, in a set (duplicates are checked separately). */
  static Set<String> keys(List<JsonNode> gs) {
    return gs.stream()
        .map(g -> g.get("campaignId").asText() + "/" + g.get("userId").asText() + "/" + g.get("trigger").get("eventId").asText())
        .collect(Collectors.toSet());
  }

  /** The oracle: limits settle in event-time order, so the first N buys win each budget. */
  static Set<String> expected() {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < EVENTS; i++) {
      String user = "u" + (i % USERS);
      if (i < MAX_GRANTS) {
        out.add("eo-points/" + user + "/b-" + i);
      }
      if (i < CODES) {
        out.add("eo-codes/" + user + "/b-" + i);
      }
    }
    return out;
  }

  @Test
  void theFailureWasInjected() {
    assertThat(FAILED).isTrue();
  }

  @Test
  void readCommittedGrantsEqualTheOracle() {
    assertThat(grants).hasSize(MAX_GRANTS + CODES);
    assertThat(grants.stream().map(g -> g.get("grantId").asText()).distinct()).hasSize(MAX_GRANTS + CODES);
    assertThat(keys(grants)).isEqualTo(expected());
  }

  @Test
  void noCodeIsIssuedTwiceAndOnlyUploadedCodesAreIssued() {
    List<String> codes = grants.stream()
        .filter(g -> g.get("campaignId").asText().equals("eo-codes"))
        .map(g -> g.get("reward").get("code").asText())
        .toList();
    assertThat(codes).hasSize(CODES).doesNotHaveDuplicates();
    assertThat(uploaded).containsAll(codes);
  }

  @Test
  void everyQualificationBeyondTheLimitsIsRejectedOnce() {
    assertThat(rejections.stream().filter(r -> r.get("reason").asText().equals("CAMPAIGN_GRANT_LIMIT")))
        .hasSize(EVENTS - MAX_GRANTS);
    assertThat(rejections.stream().filter(r -> r.get("reason").asText().equals("INVENTORY_EXHAUSTED")))
        .hasSize(EVENTS - CODES);
    assertThat(rejections).hasSize((EVENTS - MAX_GRANTS) + (EVENTS - CODES));
  }

  @Test
  void replayingTheTopicsIntoAFreshJobGivesTheSameGrants() throws Exception {
    try (PromoTestJob replay = PromoTestJob.replayOf(job)) {
      replay.start();
      List<JsonNode> again = replay.readAtLeast("grants", MAX_GRANTS + CODES, Duration.ofSeconds(90));
      assertThat(again).hasSize(MAX_GRANTS + CODES);
      Set<String> ids = grants.stream().map(g -> g.get("grantId").asText() + "/" + g.path("reward").path("points").asText())
          .collect(Collectors.toSet());
      Set<String> idsAgain = again.stream().map(g -> g.get("grantId").asText() + "/" + g.path("reward").path("points").asText())
          .collect(Collectors.toSet());
      assertThat(idsAgain).isEqualTo(ids);
      assertThat(keys(again)).isEqualTo(expected());
    }
  }
}
