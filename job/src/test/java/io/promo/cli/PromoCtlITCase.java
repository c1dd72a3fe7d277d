package io.promo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.job.it.Broker;
import io.promo.json.CommandCodec;
import io.promo.json.Json;
import io.promo.lang.CampaignParser;
import io.promo.model.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * promoctl against a real broker, in this JVM (picocli {@code execute}), each test with its own
 * topics. Where the job would answer, a small fake job reads the control topic and writes the
 * status records and alerts the test wants.
 */
class PromoCtlITCase {
  static String bootstrap;
  static Admin admin;
  static KafkaProducer<String, String> producer;

  String control;
  String status;
  String alerts;
  String grants;
  FakeJob job;

  @BeforeAll
  static void broker() {
    bootstrap = Broker.bootstrapServers();
    admin = Admin.create(Broker.clientProperties());
    Properties p = Broker.clientProperties();
    p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  @AfterAll
  static void close() {
    producer.close();
    admin.close();
  }

  @BeforeEach
  void topics() throws Exception {
    String s = UUID.randomUUID().toString().substring(0, 8);
    control = "cli-" + s + ".control";
    status = "cli-" + s + ".campaign-status";
    alerts = "cli-" + s + ".alerts";
    grants = "cli-" + s + ".grants";
    admin.createTopics(List.of(
        new NewTopic(control, 1, (short) 1),
        new NewTopic(status, 3, (short) 1).configs(Map.of("cleanup.policy", "compact")),
        new NewTopic(alerts, 2, (short) 1),
        new NewTopic(grants, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
    // Metadata reaches the broker's cache a moment after creation: wait until every topic is visible.
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      try {
        admin.describeTopics(List.of(control, status, alerts, grants)).allTopicNames().get(10, TimeUnit.SECONDS);
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  @AfterEach
  void stopJob() throws Exception {
    if (job != null) {
      job.close();
      job = null;
    }
  }

  /** promoctl with this test's broker and topics (global options first, as an operator would). */
  Cli.Result promoctl(String... args) {
    List<String> all = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--control-topic", control,
        "--status-topic", status, "--alerts-topic", alerts, "--grants-topic", grants, "--actor", "alice"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  void produce(String topic, String key, String value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
  }

  /** Everything on a topic now. */
  static List<ConsumerRecord<String, String>> readAll(String topic) {
    Properties p = Broker.clientProperties();
    p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> tps = c.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 20_000;
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  static Command command(ConsumerRecord<String, String> r) {
    return CommandCodec.parse(r.topic(), r.partition(), r.offset(), r.timestamp(),
        r.value().getBytes(StandardCharsets.UTF_8)).command();
  }

  static String statusJson(String id, String status, int version, String createdBy, String labels, String reward,
      long granted, String lastCommandId) {
    return "{\"id\":\"" + id + "\",\"name\":\"Campaign " + id + "\",\"createdBy\":\"" + createdBy + "\",\"labels\":"
        + labels + ",\"kind\":\"LIVE\",\"rewardType\":\"" + reward + "\",\"status\":\"" + status + "\",\"version\":"
        + version + ",\"schedule\":{\"start\":1764547200000},\"updatedAt\":1764547200000,\"stats\":{\"qualified\":"
        + (granted + 2) + ",\"granted\":" + granted + ",\"points\":0,\"rejected\":{\"USER_LIMIT\":2}"
        + (reward.equals("BULK_COUPON_CODES") ? ",\"inventory\":{\"uploaded\":300,\"issued\":" + granted
            + ",\"remaining\":" + (300 - granted) + "}" : "")
        + "},\"limits\":{\"perUserMax\":1,\"maxGrants\":1000}"
        + (lastCommandId == null ? "" : ",\"lastCommandId\":\"" + lastCommandId + "\"") + "}";
  }

  static Path example(String name) {
    return ExamplesTest.EXAMPLES.resolve(name);
  }

  // ---- campaign create / update -------------------------------------------------------------

  @Test
  void createWritesAValidUpsertKeyedByCampaign() {
    Cli.Result r = promoctl("campaign", "create", "-f", example("cart-abandonment.json").toString(), "--draft",
        "--no-wait");
    assertThat(r.code()).as(r.toString()).isZero();
    List<ConsumerRecord<String, String>> records = readAll(control);
    assertThat(records).hasSize(1);
    ConsumerRecord<String, String> rec = records.get(0);
    assertThat(rec.key()).isEqualTo("cart-abandon-10");
    Command c = command(rec);
    assertThat(c.errors()).isEmpty();
    assertThat(c.type()).isEqualTo(Command.UPSERT);
    assertThat(c.actor()).isEqualTo("alice");
    assertThat(c.campaignId()).isEqualTo("cart-abandon-10");
    assertThat(r.out()).contains("sent campaign.upsert for cart-abandon-10 (commandId " + c.commandId() + ")");
    JsonNode campaign = KafkaAccess.parseObject(c.campaignJson());
    assertThat(campaign.get("draft").asBoolean()).isTrue();
    assertThat(campaign.get("createdBy").asText()).as("createdBy defaults to the actor").isEqualTo("alice");
    assertThat(CampaignParser.parse(campaign).ok()).isTrue();
  }

  @Test
  void invalidFilePrintsEveryErrorAndWritesNothing(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"id\":\"x\",\"qualification\":{\"kind\":\"LIVE\",\"trigger\":{\"on\":{\"event\":\"order\"},"
        + "\"thenNot\":{\"event\":\"refund\"},\"within\":\"soon\"}},\"segment\":{\"didNot\":{\"event\":\"x\"},"
        + "\"inLast\":\"P7D\"},\"reward\":{\"type\":\"BULK_COUPON_CODES\"},\"limits\":{\"perUser\":{\"max\":0}}}");
    Cli.Result r = promoctl("campaign", "create", "-f", f.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(Exit.REJECTED);
    assertThat(r.err()).contains("qualification.trigger.within", "segment.didNot", "reward.series is missing",
        "limits.perUser.max");
    assertThat(r.err().lines().filter(l -> l.startsWith("  - ")).count()).isGreaterThanOrEqualTo(4);
    assertThat(readAll(control)).isEmpty();
  }

  @Test
  void createWaitsUntilTheStatusShowsTheCommand() throws Exception {
    // A stale status of the same campaign must not count as the answer.
    produce(status, "high-spender-5pct", statusJson("high-spender-5pct", "RUNNING", 1, "bob", "[]", "WALLET_POINTS", 0,
        "older-command"));
    job = new FakeJob(c -> List.of(new ProducerRecord<>(status, c.campaignId(),
        statusJson(c.campaignId(), "RUNNING", 2, "alice", "[]", "WALLET_POINTS", 0, c.commandId()))));
    Cli.Result r = promoctl("campaign", "update", "-f", example("high-spender-points.json").toString(), "--timeout",
        "20s");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("campaign high-spender-5pct version 2: RUNNING");
  }

  // ---- list / show ----------------------------------------------------------------------------

  void writeStatuses() throws Exception {
    produce(status, "cart-abandon-10", statusJson("cart-abandon-10", "DRAFT", 1, "alice", "[\"ecommerce\"]",
        "BULK_COUPON_CODES", 0, null));
    produce(status, "first-upi-bonus", statusJson("first-upi-bonus", "RUNNING", 1, "bob", "[\"payments\"]",
        "WALLET_POINTS", 40, null));
    produce(status, "win-back-30d", statusJson("win-back-30d", "PAUSED", 3, "carol", "[\"retention\"]",
        "SINGLE_CODE_COUPON", 7, null));
    produce(status, "gone", statusJson("gone", "ARCHIVED", 1, "alice", "[]", "WALLET_POINTS", 0, null));
    // Later records win: cart-abandon-10 is now RUNNING v2, "gone" is deleted (tombstone).
    produce(status, "cart-abandon-10", statusJson("cart-abandon-10", "RUNNING", 2, "alice", "[\"ecommerce\",\"retention\"]",
        "BULK_COUPON_CODES", 120, null));
    produce(status, "gone", null);
  }

  @Test
  void listShowsTheLatestRecordPerCampaign() throws Exception {
    writeStatuses();
    Cli.Result r = promoctl("campaign", "list");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo(
        "ID               NAME                      STATUS   KIND  REWARD              CREATOR  GRANTED/LIMIT  INVENTORY LEFT\n"
      + "cart-abandon-10  Campaign cart-abandon-10  RUNNING  LIVE  BULK_COUPON_CODES   alice         120/1000             180\n"
      + "first-upi-bonus  Campaign first-upi-bonus  RUNNING  LIVE  WALLET_POINTS       bob            40/1000               -\n"
      + "win-back-30d     Campaign win-back-30d     PAUSED   LIVE  SINGLE_CODE_COUPON  carol           7/1000               -\n"
      + "(3 campaigns)\n");
  }

  @Test
  void listFilters() throws Exception {
    writeStatuses();
    assertThat(ids(promoctl("campaign", "list", "--status", "running"))).containsExactly("cart-abandon-10", "first-upi-bonus");
    assertThat(ids(promoctl("campaign", "list", "--status", "PAUSED,DRAFT"))).containsExactly("win-back-30d");
    assertThat(ids(promoctl("campaign", "list", "--reward", "WALLET_POINTS,SINGLE_CODE_COUPON")))
        .containsExactly("first-upi-bonus", "win-back-30d");
    assertThat(ids(promoctl("campaign", "list", "--kind", "LIVE"))).hasSize(3);
    assertThat(ids(promoctl("campaign", "list", "--creator", "bob"))).containsExactly("first-upi-bonus");
    assertThat(ids(promoctl("campaign", "list", "--label", "retention"))).containsExactly("cart-abandon-10", "win-back-30d");
    assertThat(ids(promoctl("campaign", "list", "--search", "UPI"))).containsExactly("first-upi-bonus");
    assertThat(ids(promoctl("campaign", "list", "--status", "RUNNING", "--label", "retention")))
        .containsExactly("cart-abandon-10");
    Cli.Result none = promoctl("campaign", "list", "--status", "STOPPED");
    assertThat(none.out()).isEqualTo("no campaigns match (3 campaigns in all)\n");
    assertThat(promoctl("campaign", "list", "--creator", "alice").out()).endsWith("(1 of 3 campaigns)\n");
  }

  @Test
  void listJson() throws Exception {
    writeStatuses();
    Cli.Result r = promoctl("campaign", "list", "--json", "--status", "RUNNING");
    assertThat(r.code()).isZero();
    JsonNode a = Json.tree(r.out());
    assertThat(a.isArray()).isTrue();
    assertThat(a).extracting(n -> n.get("id").asText()).containsExactly("cart-abandon-10", "first-upi-bonus");
    assertThat(a.get(0).path("stats").path("granted").asLong()).isEqualTo(120);
  }

  private static List<String> ids(Cli.Result r) {
    assertThat(r.code()).as(r.toString()).isZero();
    return r.out().lines().skip(1).filter(l -> !l.startsWith("(") && !l.startsWith("no campaigns"))
        .map(l -> l.split(" ")[0]).toList();
  }

  @Test
  void showPrintsTheStatusAndRecentAlerts() throws Exception {
    writeStatuses();
    produce(alerts, "cart-abandon-10", "{\"type\":\"INVENTORY_LOW\",\"campaignId\":\"cart-abandon-10\",\"series\":\"CART10\","
        + "\"message\":\"series CART10: 50 codes left\",\"at\":1764550800000}");
    produce(alerts, "first-upi-bonus", "{\"type\":\"CAMPAIGN_LIMIT_REACHED\",\"campaignId\":\"first-upi-bonus\","
        + "\"message\":\"other campaign\",\"at\":1764550800000}");
    produce(alerts, "cart-abandon-10", "{\"type\":\"COMMAND_REJECTED\",\"campaignId\":\"cart-abandon-10\","
        + "\"commandId\":\"c-1\",\"message\":\"campaign.archive c-1 rejected: RUNNING\",\"at\":1764550700000}");
    Cli.Result r = promoctl("campaign", "show", "cart-abandon-10");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("status        RUNNING", "version       2", "labels        ecommerce, retention",
        "granted          120 of 1000", "USER_LIMIT     2", "codes remaining  180")
        .contains("2025-12-01T00:58:20Z  COMMAND_REJECTED  campaign.archive c-1 rejected: RUNNING")
        .contains("2025-12-01T01:00:00Z  INVENTORY_LOW     series CART10: 50 codes left")
        .doesNotContain("other campaign");
    assertThat(r.out().indexOf("COMMAND_REJECTED")).as("oldest first").isLessThan(r.out().indexOf("INVENTORY_LOW"));

    JsonNode j = Json.tree(promoctl("campaign", "show", "cart-abandon-10", "--json", "--alerts", "1").out());
    assertThat(j.path("status").path("version").asInt()).isEqualTo(2);
    assertThat(j.path("alerts")).hasSize(1);
    assertThat(j.path("alerts").get(0).path("type").asText()).isEqualTo("INVENTORY_LOW");

    Cli.Result missing = promoctl("campaign", "show", "gone");
    assertThat(missing.code()).isEqualTo(Exit.REJECTED);
    assertThat(missing.err()).contains("no campaign 'gone'");
  }

  // ---- lifecycle and --wait -------------------------------------------------------------------

  @Test
  void lifecycleCommandWaitsForTheStatus() throws Exception {
    job = new FakeJob(c -> List.of(new ProducerRecord<>(status, c.campaignId(),
        statusJson(c.campaignId(), "RUNNING", 1, "alice", "[]", "WALLET_POINTS", 0, c.commandId()))));
    Cli.Result r = promoctl("campaign", "publish", "first-upi-bonus", "--timeout", "20s");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("sent campaign.publish for first-upi-bonus")
        .contains("campaign first-upi-bonus version 1: RUNNING");
    Command sent = command(readAll(control).get(0));
    assertThat(sent.type()).isEqualTo(Command.PUBLISH);
    assertThat(sent.campaignId()).isEqualTo("first-upi-bonus");
    assertThat(sent.actor()).isEqualTo("alice");
  }

  @Test
  void rejectedCommandPrintsTheErrorsAndExits1() {
    job = new FakeJob(c -> List.of(new ProducerRecord<>(alerts, c.campaignId(),
        "{\"type\":\"COMMAND_REJECTED\",\"campaignId\":\"" + c.campaignId() + "\",\"commandId\":\"" + c.commandId()
            + "\",\"message\":\"" + c.type() + " " + c.commandId() + " rejected: campaign " + c.campaignId()
            + " is DRAFT: pause is allowed only while RUNNING; another reason\",\"at\":1764550800000}")));
    Cli.Result r = promoctl("campaign", "pause", "signup-kyc-24h", "--timeout", "20s");
    assertThat(r.code()).as(r.toString()).isEqualTo(Exit.REJECTED);
    assertThat(r.err()).contains("the job rejected campaign.pause for signup-kyc-24h:")
        .contains("  - campaign signup-kyc-24h is DRAFT: pause is allowed only while RUNNING\n")
        .contains("  - another reason\n");
  }

  @Test
  void noAnswerWithinTheTimeoutExits4AndNoWaitExits0() {
    Cli.Result r = promoctl("campaign", "stop", "win-back-30d", "--timeout", "1s");
    assertThat(r.code()).as(r.toString()).isEqualTo(Exit.NOT_CONFIRMED);
    assertThat(r.err()).contains("did not confirm campaign.stop").contains("within 1s");
    Cli.Result sent = promoctl("campaign", "archive", "win-back-30d", "--no-wait");
    assertThat(sent.code()).isZero();
    assertThat(readAll(control)).extracting(c -> command(c).type()).containsExactly(Command.STOP, Command.ARCHIVE);
  }

  @Test
  void missingControlTopicIsReported() {
    Cli.Result r = promoctl("--control-topic", "no-such-topic-" + UUID.randomUUID(), "campaign", "resume", "x");
    assertThat(r.code()).isEqualTo(Exit.REJECTED);
    assertThat(r.err()).contains("does not exist");
  }

  // ---- codes and lists ------------------------------------------------------------------------

  @Test
  void codesUploadIsChunked(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("codes.txt");
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      sb.append("CODE-").append(i).append('\n');
      if (i == 6) {
        sb.append("\nCODE-3\n");
      }
    }
    Files.writeString(f, sb.toString());
    Cli.Result r = promoctl("codes", "upload", "--series", "CART10", "--partner", "shop", "--expires-at",
        "2027-01-01T00:00:00Z", "--chunk", "5", "--no-wait", f.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("uploaded 12 codes (1 blank line, 1 duplicate skipped)")
        .contains("in 3 commands").contains("chunk 3/3: 2 codes");
    List<ConsumerRecord<String, String>> records = readAll(control);
    assertThat(records).hasSize(3).allMatch(rec -> rec.key().equals("CART10"));
    List<Command> cmds = records.stream().map(PromoCtlITCase::command).toList();
    assertThat(cmds).allMatch(Command::valid).allMatch(c -> c.type().equals(Command.CODES_UPLOAD))
        .allMatch(c -> "shop".equals(c.partner()) && c.expiresAt() == 1798761600000L);
    assertThat(cmds).extracting(c -> c.codes().size()).containsExactly(5, 5, 2);
    assertThat(cmds.stream().flatMap(c -> c.codes().stream()).toList())
        .containsExactly("CODE-1", "CODE-2", "CODE-3", "CODE-4", "CODE-5", "CODE-6", "CODE-7", "CODE-8", "CODE-9",
            "CODE-10", "CODE-11", "CODE-12");
    assertThat(cmds).extracting(Command::commandId).doesNotHaveDuplicates();
  }

  @Test
  void codesUploadReportsDuplicateCodeAlerts() throws Exception {
    job = new FakeJob(c -> c.codes().contains("CART10-277XMC")
        ? List.of(new ProducerRecord<>(alerts, c.series(), "{\"type\":\"DUPLICATE_CODES\",\"series\":\"" + c.series()
            + "\",\"commandId\":\"" + c.commandId() + "\",\"message\":\"2 of " + c.codes().size()
            + " codes refused: they were uploaded before: CART10-277XMC, CART10-27D87S\",\"at\":1764550800000}"))
        : List.of());
    Cli.Result r = promoctl("codes", "upload", "--series", "CART10", "--chunk", "100", "--timeout", "3s",
        example("codes-CART10.txt").toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(Exit.REJECTED);
    assertThat(r.out()).contains("uploaded 300 codes from").contains("in 3 commands")
        .contains("2 of 300 codes refused as duplicates; 298 added");
    assertThat(r.err()).contains("DUPLICATE_CODES (chunk 1/3): 2 of 100 codes refused");
  }

  @Test
  void codesUploadWithoutAlertsSucceeds(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("codes.csv");
    Files.writeString(f, "code,note\nA-1,x\nA-2,y\n");
    Cli.Result r = promoctl("codes", "upload", "--series", "S", "--timeout", "1s", f.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("uploaded 2 codes").contains("no duplicate codes reported within 1s");
  }

  @Test
  void listAddAndRemoveAreChunked() throws Exception {
    Cli.Result r = promoctl("list", "add", "--list", "staff", "--chunk", "8", example("list-staff.txt").toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("added 20 user ids").contains("to list staff in 3 commands (list.add)");
    Cli.Result rm = promoctl("list", "remove", "--list", "staff", example("list-staff.txt").toString());
    assertThat(rm.code()).isZero();
    List<Command> cmds = readAll(control).stream().map(PromoCtlITCase::command).toList();
    assertThat(cmds).extracting(Command::type)
        .containsExactly(Command.LIST_ADD, Command.LIST_ADD, Command.LIST_ADD, Command.LIST_REMOVE);
    assertThat(cmds).extracting(c -> c.userIds().size()).containsExactly(8, 8, 4, 20);
    assertThat(cmds).allMatch(c -> c.valid() && c.list().equals("staff"));
  }

  // ---- grants tail ----------------------------------------------------------------------------

  static String grant(String id, String campaign, String user, String reward) {
    return "{\"grantId\":\"" + id + "\",\"campaignId\":\"" + campaign + "\",\"campaignVersion\":1,\"userId\":\"" + user
        + "\",\"reward\":" + reward + ",\"trigger\":{\"eventId\":\"e\",\"ts\":1764550800000},"
        + "\"qualifiedAt\":1764550800000,\"deliverAt\":1764550800000,\"issuedAt\":1764550800500}";
  }

  @Test
  void grantsTailReadsCommittedGrantsOnly() throws Exception {
    Properties p = Broker.clientProperties();
    p.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cli-it-" + UUID.randomUUID());
    try (KafkaProducer<String, String> tx = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      tx.initTransactions();
      tx.beginTransaction();
      tx.send(new ProducerRecord<>(grants, "u-1", grant("g-1", "first-upi-bonus", "u-1",
          "{\"type\":\"WALLET_POINTS\",\"points\":50}")));
      tx.send(new ProducerRecord<>(grants, "u-2", grant("g-2", "cart-abandon-10", "u-2",
          "{\"type\":\"BULK_COUPON_CODES\",\"series\":\"CART10\",\"code\":\"CART10-277XMC\"}")));
      tx.send(new ProducerRecord<>(grants, "u-3", grant("g-3", "first-upi-bonus", "u-3",
          "{\"type\":\"WALLET_POINTS\",\"points\":50}")));
      tx.commitTransaction();
      tx.beginTransaction();
      tx.send(new ProducerRecord<>(grants, "u-4", grant("g-aborted", "first-upi-bonus", "u-4",
          "{\"type\":\"WALLET_POINTS\",\"points\":50}")));
      tx.flush();
      tx.abortTransaction();
    }
    Cli.Result all = promoctl("grants", "tail", "--from-beginning", "--timeout", "3s");
    assertThat(all.code()).as(all.toString()).isZero();
    assertThat(all.out().lines().toList()).hasSize(3)
        .contains("2025-12-01T01:00:00Z  user u-2  campaign cart-abandon-10 v1  code CART10-277XMC (series CART10)  grant g-2");
    assertThat(all.out()).doesNotContain("g-aborted");

    Cli.Result one = promoctl("grants", "tail", "--from-beginning", "--campaign", "first-upi-bonus", "--max", "1");
    assertThat(one.code()).isZero();
    assertThat(one.out().lines().toList()).hasSize(1).allMatch(l -> l.contains("campaign first-upi-bonus v1  50 points"));

    Cli.Result json = promoctl("grants", "tail", "--from-beginning", "--max", "3", "--json");
    assertThat(json.out().lines().map(l -> KafkaAccess.parseObject(l).get("grantId").asText()).toList())
        .containsExactlyInAnyOrder("g-1", "g-2", "g-3");

    Cli.Result fromNow = promoctl("grants", "tail", "--timeout", "1s");
    assertThat(fromNow.code()).isZero();
    assertThat(fromNow.out()).isEmpty();
  }

  @Test
  void grantsTailFollowsNewGrants() throws Exception {
    Thread writer = new Thread(() -> {
      try {
        Thread.sleep(1500);
        produce(grants, "u-9", grant("g-new", "c", "u-9", "{\"type\":\"WALLET_POINTS\",\"points\":5}"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    writer.start();
    Cli.Result r = promoctl("grants", "tail", "--max", "1", "--timeout", "20s");
    writer.join();
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("grant g-new");
  }

  // ---- Kafka unreachable ----------------------------------------------------------------------

  @Test
  void unreachableBrokerExits3() {
    long start = System.nanoTime();
    Cli.Result r = Cli.run("--bootstrap-servers", "localhost:1", "--connect-timeout", "2s", "campaign", "list");
    assertThat(r.code()).as(r.toString()).isEqualTo(Exit.UNREACHABLE);
    assertThat(r.err()).contains("cannot reach Kafka at localhost:1").contains("Is the broker running?");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    Cli.Result publish = Cli.run("campaign", "publish", "x", "--bootstrap-servers", "localhost:1",
        "--connect-timeout", "1s");
    assertThat(publish.code()).as("global options after the command").isEqualTo(Exit.UNREACHABLE);
    Cli.Result unknownHost = Cli.run("--bootstrap-servers", "no-such-host.invalid:9092", "grants", "tail");
    assertThat(unknownHost.code()).isEqualTo(Exit.UNREACHABLE);
  }

  // ---- a stand-in for the job -----------------------------------------------------------------

  /** Reads the control topic from the beginning and writes whatever {@code answer} returns for each command. */
  final class FakeJob implements AutoCloseable {
    final List<Command> seen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    FakeJob(Function<Command, List<ProducerRecord<String, String>>> answer) {
      thread = new Thread(() -> {
        Properties p = Broker.clientProperties();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
          TopicPartition tp = new TopicPartition(control, 0);
          c.assign(List.of(tp));
          c.seekToBeginning(List.of(tp));
          while (running.get()) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
              Command cmd = command(r);
              seen.add(cmd);
              for (ProducerRecord<String, String> out : answer.apply(cmd)) {
                producer.send(out).get(10, TimeUnit.SECONDS);
              }
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "fake-job");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }
}
