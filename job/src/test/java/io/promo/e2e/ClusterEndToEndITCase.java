package io.promo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The product run as a user runs it, end to end: a real Kafka broker ({@code scripts/kafka start})
 * and a real Flink session cluster of two JVMs ({@code scripts/cluster start}), the shaded job jar
 * submitted through the REST API ({@code scripts/submit}), a campaign created with
 * {@code scripts/promoctl}, events produced, the grant read with a read_committed consumer, the
 * per-campaign metric read through the cluster's REST API, a stop with a savepoint
 * ({@code scripts/savepoint}), a resubmission from it, more events — and the counters carried
 * over, no grant duplicated. Everything it started is stopped, also on failure.
 *
 * <p>It runs in the {@code integration-test} phase (maven-failsafe-plugin, after {@code package}
 * built {@code job/target/promo-job.jar}). It uses its own state directory
 * ({@code job/target/e2e/local}, {@code PROMO_LOCAL_DIR}) and free ports, so it does not disturb a
 * demo or cluster the developer has running: the broker's through {@code KAFKA_PORT} /
 * {@code KAFKA_CONTROLLER_PORT}; the cluster's, whose {@code deploy/flink/config.yaml} fixes them
 * (8081, 6123), through an overlay of the repository ({@code job/target/e2e/root}) whose
 * {@code scripts/} and everything else link to the real ones and whose
 * {@code deploy/flink/config.yaml} is the real one with the two ports changed. The run-time jars
 * ({@code .local/lib}) are shared with the repository's. It is skipped, with the reason, only when
 * those jars cannot be assembled (no access to Maven Central).
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ClusterEndToEndITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String LEDGER_VERTEX = "Ledger (limits, codes)";

  private static Path repo;
  private static Path work;
  private static Path root;
  private static Path local;
  private static Path logs;
  private static Path jar;
  private static int kafkaPort;
  private static int restPort;
  private static String bootstrap;
  private static String restUrl;
  private static final Map<String, String> env = new LinkedHashMap<>();
  private static int step;
  private static final long T0 = System.nanoTime();

  @BeforeAll
  static void setUp() throws Exception {
    repo = Path.of(System.getProperty("promo.repo.dir", Path.of("").toAbsolutePath().getParent().toString()));
    jar = repo.resolve("job/target/promo-job.jar");
    Assumptions.assumeTrue(Files.isRegularFile(repo.resolve("scripts/cluster")),
        "not in the promo repository (scripts/cluster not found under " + repo + ")");
    Assumptions.assumeTrue(Files.isRegularFile(jar),
        jar + " does not exist: this test runs after 'package' (./mvnw -B verify)");
    work = repo.resolve("job/target/e2e");
    root = work.resolve("root");
    local = work.resolve("local");
    logs = work.resolve("logs");

    env.put("PROMO_LOCAL_DIR", local.toString());
    Files.createDirectories(logs);
    // A previous run killed before its clean-up may have left processes: stop them by their pid files.
    if (Files.isDirectory(local) && Files.isDirectory(root)) {
      stopEverything();
    }
    deleteTree(work);
    Files.createDirectories(logs);

    kafkaPort = freePort();
    restPort = freePort();
    int controllerPort = freePort();
    int rpcPort = freePort();
    bootstrap = "127.0.0.1:" + kafkaPort;
    restUrl = "http://localhost:" + restPort;
    buildOverlay(rpcPort);
    env.put("KAFKA_PORT", String.valueOf(kafkaPort));
    env.put("KAFKA_CONTROLLER_PORT", String.valueOf(controllerPort));
    env.put("FLINK_REST_URL", restUrl);
    env.put("PROMO_BOOTSTRAP", bootstrap);
    log("broker " + bootstrap + " (controller " + controllerPort + "), cluster " + restUrl + " (rpc " + rpcPort
        + "), state in " + repo.relativize(local));
  }

  @AfterAll
  static void tearDown() {
    if (root != null && Files.isDirectory(root)) {
      stopEverything();
    }
    log("done");
  }

  /** Stops the cluster and the broker of this test (by their pid files; SIGKILL after a grace period). */
  private static void stopEverything() {
    for (String[] cmd : List.of(new String[] {"scripts/cluster", "stop"}, new String[] {"scripts/kafka", "stop"})) {
      try {
        Result r = script(Duration.ofSeconds(90), cmd);
        if (r.code() != 0) {
          System.err.println("[e2e] " + String.join(" ", cmd) + " exited " + r.code() + ":\n" + r.output());
        }
      } catch (Exception e) {
        System.err.println("[e2e] " + String.join(" ", cmd) + " failed: " + e);
      }
    }
  }

  @Test
  void campaignGrantMetricSavepointAndResume() throws Exception {
    // 1. Broker and session cluster, as a user starts them.
    Result kafka = script(Duration.ofMinutes(4), "scripts/kafka", "start");
    skipIfRuntimeJarsMissing(kafka, "kafka");
    assertOk(kafka);
    Result cluster = script(Duration.ofMinutes(4), "scripts/cluster", "start");
    skipIfRuntimeJarsMissing(cluster, "flink");
    assertOk(cluster);

    // 2. Submit the shaded jar through the REST API.
    String prefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> jobArgs = List.of("--bootstrap.servers", bootstrap, "--checkpoint.interval", "PT1S",
        "--transactional.id.prefix", prefix, "--group.id", prefix);
    String jobId = submit(null, jobArgs);
    awaitRunning(jobId);

    // 3. A campaign, created with promoctl (it waits until the job confirms it).
    String campaignId = "e2e-big-order-" + prefix.substring(4);
    Path campaignFile = work.resolve("campaign.json");
    Files.writeString(campaignFile, """
        {"id": "%s", "name": "E2E: 25 points for orders of 1000 or more", "labels": ["e2e"],
         "qualification": {"kind": "LIVE", "trigger": {"on": {"event": "order",
             "where": [{"prop": "amount", "op": "gte", "value": 1000}]}}},
         "reward": {"type": "WALLET_POINTS", "points": 25},
         "limits": {"perUser": {"max": 5}, "perCampaign": {"maxGrants": 100}}}
        """.formatted(campaignId));
    Result created = script(Duration.ofMinutes(3), "scripts/promoctl", "campaign", "create", "--wait",
        "--timeout", "120s", "-f", campaignFile.toString());
    assertOk(created);
    assertThat(created.output()).contains("campaign " + campaignId + " version 1: RUNNING");

    // 4. Events: one qualifying order, one too small.
    long now = System.currentTimeMillis();
    ObjectNode first = event("e2e-1-" + prefix, "u-1", "order", now, 1500);
    produce(first, event("e2e-2-" + prefix, "u-1", "order", now + 1, 10));

    // 5. The grant, read_committed.
    List<JsonNode> grants = awaitGrants(campaignId, 1, Duration.ofSeconds(120));
    assertThat(grants).hasSize(1);
    JsonNode g1 = grants.get(0);
    assertThat(g1.path("userId").asText()).isEqualTo("u-1");
    assertThat(g1.path("reward").path("points").asLong()).isEqualTo(25);
    assertThat(g1.path("trigger").path("eventId").asText()).isEqualTo(first.get("eventId").asText());

    // 6. The per-campaign metric, through the cluster's REST API.
    Map<String, Long> metrics = awaitCampaignMetrics(jobId, campaignId, m -> m.getOrDefault("granted", 0L) >= 1);
    assertThat(metrics).containsEntry("granted", 1L).containsEntry("qualified", 1L).containsEntry("points", 25L);
    JsonNode status = awaitStatus(campaignId, s -> s.path("stats").path("granted").asLong() == 1);
    assertThat(status.path("stats").path("points").asLong()).isEqualTo(25);

    // 7. Stop with a savepoint; resubmit from it.
    Result savepoint = script(Duration.ofMinutes(3), "scripts/savepoint", jobId);
    assertOk(savepoint);
    String savepointPath = lastLine(savepoint.stdout());
    assertThat(savepointPath).as("savepoint path").contains("savepoint");
    assertThat(jobState(jobId)).isEqualTo("FINISHED");
    String resumedId = submit(savepointPath, jobArgs);
    assertThat(resumedId).isNotEqualTo(jobId);
    awaitRunning(resumedId);

    // 8. More events: a new qualifying order, and the first one again (same eventId: applied once).
    long later = System.currentTimeMillis();
    produce(event("e2e-3-" + prefix, "u-2", "order", later, 2000), first.deepCopy().put("ts", later + 1));

    // 9. Counters carried over: the status grows from the old value; the restarted job's metric
    //    counts what it did since the restart; the grants topic holds each grant once.
    grants = awaitGrants(campaignId, 2, Duration.ofSeconds(120));
    status = awaitStatus(campaignId, s -> s.path("stats").path("granted").asLong() >= 2);
    assertThat(status.path("stats").path("granted").asLong()).isEqualTo(2);
    assertThat(status.path("stats").path("qualified").asLong()).isEqualTo(2);
    assertThat(status.path("stats").path("points").asLong()).isEqualTo(50);
    Map<String, Long> resumedMetrics =
        awaitCampaignMetrics(resumedId, campaignId, m -> m.getOrDefault("granted", 0L) >= 1);
    assertThat(resumedMetrics).containsEntry("granted", 1L);

    Thread.sleep(3000); // a few more checkpoints: nothing else may show up
    grants = readGrants(campaignId);
    assertThat(grants).extracting(g -> g.path("userId").asText()).containsExactlyInAnyOrder("u-1", "u-2");
    assertThat(grants.stream().map(g -> g.path("grantId").asText()).distinct().count()).isEqualTo(2);
    log("passed in " + (System.nanoTime() - T0) / 1_000_000_000 + " s");
  }

  // ---- the scripts ------------------------------------------------------------------------

  record Result(int code, String stdout, String output) {}

  /** Runs a script of the overlay root with the test's environment; output kept in logs/NN-name.log. */
  private static Result script(Duration timeout, String... cmd) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(cmd));
    command.set(0, root.resolve(cmd[0]).toString());
    String name = String.format("%02d-%s", ++step,
        String.join("-", List.of(cmd).subList(0, Math.min(2, cmd.length))).replaceAll("[^A-Za-z0-9.-]+", "_"));
    Path out = logs.resolve(name + ".out");
    Path err = logs.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    pb.environment().putAll(env);
    long start = System.nanoTime();
    log("$ " + String.join(" ", cmd));
    Process p = pb.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeout + ":\n" + tail(err));
    }
    String stdout = Files.readString(out).trim();
    String stderr = Files.readString(err);
    log("  exit " + p.exitValue() + " after " + (System.nanoTime() - start) / 1_000_000 + " ms"
        + (stdout.isEmpty() ? "" : ": " + lastLine(stdout)));
    return new Result(p.exitValue(), stdout, stdout + (stdout.isEmpty() ? "" : "\n") + stderr);
  }

  private static java.io.File nullFile() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static void assertOk(Result r) {
    assertThat(r.code()).as("exit code; output:\n%s", r.output()).isZero();
  }

  /** Skips the test (not a failure) when the scripts could not assemble the run-time jars. */
  private static void skipIfRuntimeJarsMissing(Result r, String name) {
    if (r.code() != 0 && r.output().contains("could not assemble the " + name + " jars")) {
      Assumptions.abort("skipped: the " + name + " run-time jars could not be assembled from Maven Central "
          + "(scripts/lib.sh ensure_runtime_jars):\n" + r.output());
    }
  }

  private static String submit(String savepoint, List<String> jobArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("scripts/submit", "--jar", jar.toString(), "--parallelism", "2"));
    if (savepoint != null) {
      cmd.addAll(List.of("--savepoint", savepoint));
    }
    cmd.addAll(jobArgs);
    Result r = script(Duration.ofMinutes(3), cmd.toArray(new String[0]));
    assertOk(r);
    String id = lastLine(r.stdout());
    assertThat(id).as("job id").matches("[0-9a-f]{32}");
    return id;
  }

  // ---- the cluster's REST API ------------------------------------------------------------

  private static JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(restUrl + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("GET " + path + " -> HTTP " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static String jobState(String jobId) throws Exception {
    return rest("/jobs/" + jobId).path("state").asText();
  }

  /** The job and every one of its vertices RUNNING. */
  private static void awaitRunning(String jobId) throws Exception {
    await("job " + jobId + " and all its tasks RUNNING", Duration.ofSeconds(120), () -> {
      try {
        JsonNode j = rest("/jobs/" + jobId);
        if (List.of("FAILED", "CANCELED", "FINISHED").contains(j.path("state").asText())) {
          throw new AssertionError("job " + jobId + " is " + j.path("state").asText() + ": "
              + rest("/jobs/" + jobId + "/exceptions").path("root-exception").asText());
        }
        boolean all = j.path("state").asText().equals("RUNNING") && j.path("vertices").size() > 0;
        for (JsonNode v : j.path("vertices")) {
          all &= v.path("status").asText().equals("RUNNING");
        }
        return all ? j : null;
      } catch (IOException e) {
        return null;
      }
    });
  }

  /**
   * The ledger operator's metrics of one campaign (group {@code campaign} / {@code <campaignId>}:
   * qualified, granted, points, rejected_*), summed over its subtasks, read from
   * {@code /jobs/<id>/vertices/<vertex>/subtasks/metrics}.
   */
  private static Map<String, Long> awaitCampaignMetrics(String jobId, String campaignId,
      Predicate<Map<String, Long>> done) throws Exception {
    JsonNode job = rest("/jobs/" + jobId);
    String vertex = null;
    for (JsonNode v : job.path("vertices")) {
      if (v.path("name").asText().contains(LEDGER_VERTEX)) {
        vertex = v.path("id").asText();
      }
    }
    assertThat(vertex).as("a vertex named '%s' in %s", LEDGER_VERTEX, job.path("vertices")).isNotNull();
    String base = "/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics";
    String marker = ".campaign." + campaignId + ".";
    @SuppressWarnings("unchecked")
    Map<String, Long>[] last = new Map[] {Map.of()};
    try {
      return await("the ledger's metrics of campaign " + campaignId, Duration.ofSeconds(90), () -> {
        try {
          // The metric ids are "<operator>.campaign.<id>.<name>"; list them, then read them summed.
          List<String> ids = new ArrayList<>();
          for (JsonNode m : rest(base)) {
            String id = m.path("id").asText();
            if (id.contains(marker)) {
              ids.add(id);
            }
          }
          if (ids.isEmpty()) {
            return null;
          }
          String get = ids.stream().map(id -> URLEncoder.encode(id, StandardCharsets.UTF_8))
              .collect(Collectors.joining(","));
          Map<String, Long> values = new HashMap<>();
          for (JsonNode m : rest(base + "?agg=sum&get=" + get)) {
            String id = m.path("id").asText();
            values.put(id.substring(id.indexOf(marker) + marker.length()), (long) m.path("sum").asDouble());
          }
          last[0] = values;
          return done.test(values) ? values : null;
        } catch (IOException e) {
          return null;
        }
      });
    } finally {
      log("  metrics of " + campaignId + " on '" + LEDGER_VERTEX + "' of job " + jobId + ": " + last[0]);
    }
  }

  // ---- Kafka ------------------------------------------------------------------------------

  private static ObjectNode event(String eventId, String user, String name, long ts, double amount) {
    ObjectNode e = JSON.createObjectNode();
    e.put("eventId", eventId).put("userId", user).put("name", name).put("ts", ts);
    e.putObject("props").put("amount", amount);
    e.putObject("profile").put("tz", "Asia/Kolkata").put("city", "Pune");
    return e;
  }

  private static void produce(ObjectNode... events) throws Exception {
    Properties p = new Properties();
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (ObjectNode e : events) {
        producer.send(new ProducerRecord<>("promo.events", e.get("userId").asText(), e.toString())).get(30, TimeUnit.SECONDS);
      }
    }
    log("  produced " + events.length + " event(s)");
  }

  private static KafkaConsumer<String, String> consumer(boolean readCommitted) {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
    p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  /** Every record of a topic from its beginning to its current end. */
  private static List<ConsumerRecord<String, String>> readAll(String topic, boolean readCommitted) {
    try (KafkaConsumer<String, String> c = consumer(readCommitted)) {
      List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(pi -> new TopicPartition(topic, pi.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  /** The campaign's grants in promo.grants, read_committed (what downstream consumers see). */
  private static List<JsonNode> readGrants(String campaignId) {
    return readAll("promo.grants", true).stream().map(r -> parse(r.value()))
        .filter(g -> campaignId.equals(g.path("campaignId").asText())).toList();
  }

  private static List<JsonNode> awaitGrants(String campaignId, int count, Duration timeout) throws Exception {
    @SuppressWarnings("unchecked")
    List<JsonNode>[] last = new List[] {List.of()};
    try {
      return await(count + " grant(s) of " + campaignId + " (read_committed)", timeout, () -> {
        last[0] = readGrants(campaignId);
        return last[0].size() >= count ? last[0] : null;
      });
    } finally {
      log("  grants of " + campaignId + ": " + last[0].stream().map(g -> g.path("userId").asText() + "/"
          + g.path("reward").path("points").asText()).toList());
    }
  }

  /** The latest CampaignStatus of a campaign (compacted status topic, keyed by campaign id). */
  private static JsonNode awaitStatus(String campaignId, Predicate<JsonNode> done) throws Exception {
    JsonNode[] last = new JsonNode[1];
    try {
      return await("the status of " + campaignId, Duration.ofSeconds(60), () -> {
        JsonNode latest = null;
        for (ConsumerRecord<String, String> r : readAll("promo.campaign-status", true)) {
          if (campaignId.equals(r.key()) && r.value() != null) {
            latest = parse(r.value());
          }
        }
        last[0] = latest;
        return latest != null && done.test(latest) ? latest : null;
      });
    } finally {
      log("  status of " + campaignId + ": " + (last[0] == null ? "none" : last[0].path("status").asText() + " "
          + last[0].path("stats")));
    }
  }

  private static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- plumbing ---------------------------------------------------------------------------

  private interface Check<T> {
    T get() throws Exception;
  }

  private static <T> T await(String what, Duration timeout, Check<T> check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T t = check.get();
      if (t != null) {
        return t;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
            + "\n" + tail(local.resolve("flink/log/jobmanager.log")) + "\n" + tail(local.resolve("flink/log/taskmanager.log")));
      }
      Thread.sleep(1000);
    }
  }

  /**
   * job/target/e2e/root: the repository seen through links, except deploy/flink, a copy whose
   * config.yaml has this test's REST and RPC ports. The scripts resolve the repository from their
   * own path (scripts/lib.sh: PROMO_ROOT = the directory above scripts/), so they use this one.
   */
  private static void buildOverlay(int rpcPort) throws IOException {
    Files.createDirectories(root.resolve("deploy/flink"));
    for (String name : List.of("scripts", "job", "udfs", "examples", "pom.xml", "mvnw", ".mvn")) {
      if (Files.exists(repo.resolve(name))) {
        Files.createSymbolicLink(root.resolve(name), repo.resolve(name));
      }
    }
    try (Stream<Path> deploy = Files.list(repo.resolve("deploy"))) {
      for (Path p : deploy.toList()) {
        if (!p.getFileName().toString().equals("flink")) {
          Files.createSymbolicLink(root.resolve("deploy").resolve(p.getFileName()), p);
        }
      }
    }
    try (Stream<Path> flink = Files.list(repo.resolve("deploy/flink"))) {
      for (Path p : flink.toList()) {
        Files.copy(p, root.resolve("deploy/flink").resolve(p.getFileName()));
      }
    }
    Path config = root.resolve("deploy/flink/config.yaml");
    String yaml = Files.readString(config);
    String changed = replaceOnce(yaml, "(?m)^(rest:\\n(?:[ ]+.*\\n)*?[ ]+port:)[ ]*8081$", "$1 " + restPort);
    changed = replaceOnce(changed, "(?m)^([ ]+rpc:\\n[ ]+address:.*\\n[ ]+port:)[ ]*6123$", "$1 " + rpcPort);
    Files.writeString(config, changed);
    // The run-time jars are the repository's (assembled once, shared; scripts/lib.sh locks them).
    Files.createDirectories(repo.resolve(".local/lib"));
    Files.createDirectories(local);
    Files.createSymbolicLink(local.resolve("lib"), repo.resolve(".local/lib"));
  }

  private static String replaceOnce(String text, String regex, String replacement) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("deploy/flink/config.yaml has changed shape: no match for %s", regex).isTrue();
    return m.replaceFirst(replacement);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      // Files.walk does not follow links: the links go, their targets stay.
      for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String lastLine(String s) {
    String[] lines = s.trim().split("\n");
    return lines[lines.length - 1].trim();
  }

  private static String tail(Path file) {
    try {
      if (!Files.exists(file)) {
        return "(no " + file + ")";
      }
      List<String> lines = Files.readAllLines(file);
      return "----- " + file + " (last 40 lines)\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static void log(String message) {
    System.out.printf("[e2e %5.1fs] %s%n", (System.nanoTime() - T0) / 1e9, message);
    System.out.flush();
  }
}
