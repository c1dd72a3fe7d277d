package io.promo.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.json.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints the grants of {@code promo.grants} as they are committed (a read_committed consumer, so
 * exactly the grants that count), one readable line each, and every {@code --summary-every} a
 * running summary per campaign: grants, points and codes since it started.
 *
 * <pre>
 *   08:14:03  u-00412   high-spender-5pct        +250 points
 *   08:14:05  u-01873   game-spend-1000-coins    voucher CNX-3YDY256N (cineplex)
 * </pre>
 */
@Command(name = "grant-printer", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Prints the grants the job commits (read_committed): one line per grant (time issued, user, campaign, "
            + "reward), and a running summary per campaign (grants, points, codes) every --summary-every when "
            + "something changed. Joins no consumer group. Runs until Ctrl-C, --max or --timeout."})
public final class GrantPrinter implements Callable<Integer> {

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
      defaultValue = "${env:PROMO_BOOTSTRAP:-localhost:9092}",
      description = "Kafka bootstrap servers (env PROMO_BOOTSTRAP; default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "promo.grants",
      description = "Grants topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--summary-every", paramLabel = "DURATION", defaultValue = "10s", converter = DemoDurations.class,
      description = "How often to print the per-campaign summary (default: ${DEFAULT-VALUE}; 0 for never).")
  Duration summaryEvery;

  @Option(names = "--from-beginning", description = "Start with the oldest grant in the topic (default: new ones only).")
  boolean fromBeginning;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N grants.")
  Long max;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DemoDurations.class,
      description = "Stop after this long (default: never).")
  Duration timeout;

  @Option(names = "--wait-for-topic", paramLabel = "DURATION", defaultValue = "120s", converter = DemoDurations.class,
      description = "How long to wait for the topic to exist (the job creates it; default: ${DEFAULT-VALUE}).")
  Duration waitForTopic;

  @Option(names = "--lines-per-second", paramLabel = "N", defaultValue = "3",
      description = "Print at most about N points grants a second and count the rest in one '... and N more' line, "
          + "so that a busy start stays readable; grants with a code always print (default: ${DEFAULT-VALUE}; "
          + "0 prints every grant).")
  double linesPerSecond;

  @Option(names = "--since", paramLabel = "EPOCH_MS",
      description = "Report how long after this instant the first grant was printed (scripts/demo passes its start).")
  long since;

  @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
      description = "Extra Kafka consumer property, repeatable.")
  Map<String, String> kafkaProperties = new TreeMap<>();

  private final PrintStream out = System.out;
  private final PrintStream err = System.err;
  private final Summary summary = new Summary();
  private LineBudget lines;
  private volatile boolean stopping;

  public static void main(String[] args) {
    System.exit(new CommandLine(new GrantPrinter()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Properties p = new Properties();
    p.putAll(kafkaProperties);
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "promo-grant-printer");
    p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.putIfAbsent(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    lines = new LineBudget(linesPerSecond);
    List<TopicPartition> partitions = partitions(p);
    if (partitions == null) {
      return TrafficGenerator.EXIT_NO_KAFKA;
    }
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      partitions.forEach(consumer::position); // fix the start now
      CountDownLatch done = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        stopping = true;
        consumer.wakeup();
        try {
          done.await(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "grant-printer-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      note("following " + topic + (fromBeginning ? " from the beginning" : "")
          + " (read_committed: a grant shows once the job's checkpoint commits it). Waiting for grants...");
      long t0 = System.nanoTime();
      long end = timeout == null ? Long.MAX_VALUE : t0 + timeout.toNanos();
      long every = summaryEvery.isZero() ? Long.MAX_VALUE : summaryEvery.toNanos();
      long nextSummary = t0 + every;
      long printed = 0;
      try {
        while (!stopping && System.nanoTime() < end && (max == null || printed < max)) {
          List<JsonNode> batch = new ArrayList<>();
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            JsonNode g = parse(r.value());
            if (g != null) {
              batch.add(g);
            }
          }
          // Partitions arrive interleaved: show each batch in the order the grants were issued.
          batch.sort(java.util.Comparator.comparingLong(g -> g.path("issuedAt").asLong(0)));
          for (JsonNode g : batch) {
            summary.add(g);
            // Coupons and vouchers are rarer and worth seeing: they always get their line.
            if (g.path("reward").hasNonNull("code") || lines.take()) {
              out.println(line(g));
            } else {
              lines.skipped(g.path("campaignId").asText("?"));
            }
            if (summary.total() == 1 && since > 0) {
              note("(first grant " + DemoDurations.format(Duration.ofMillis(System.currentTimeMillis() - since))
                  + " after the demo started)");
            }
            if (max != null && ++printed >= max) {
              break;
            }
          }
          String skipped = lines.report();
          if (skipped != null) {
            out.println(skipped);
          }
          out.flush();
          if (System.nanoTime() >= nextSummary) {
            nextSummary = System.nanoTime() + every;
            if (summary.changed()) {
              out.print(summary.render(false));
              out.flush();
            }
          }
        }
      } catch (WakeupException e) {
        // Ctrl-C
      } finally {
        if (summary.total() > 0 && !summaryEvery.isZero()) {
          out.print(summary.render(true));
          out.flush();
        }
        done.countDown();
        if (!stopping) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException ignored) {
            // shutting down already
          }
        }
      }
    }
    return 0;
  }

  /** The topic's partitions once it exists; null (after a message) when Kafka cannot be reached. */
  private List<TopicPartition> partitions(Properties consumerProps) throws InterruptedException {
    Properties a = new Properties();
    consumerProps.forEach((k, v) -> {
      String key = (String) k;
      if (AdminClientConfig.configNames().contains(key)) {
        a.put(key, v);
      }
    });
    a.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "promo-grant-printer-admin");
    a.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    a.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    try (Admin admin = Admin.create(a)) {
      long deadline = System.nanoTime() + waitForTopic.toNanos();
      boolean told = false;
      while (true) {
        Set<String> names;
        try {
          names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
          if (names.contains(topic)) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
            List<TopicPartition> tps = new ArrayList<>();
            d.partitions().forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
            return tps;
          }
        } catch (ExecutionException | TimeoutException e) {
          err.println("grant-printer: cannot reach Kafka at " + bootstrap + " (" + TrafficGenerator.rootMessage(e) + ")");
          return null;
        }
        if (System.nanoTime() > deadline) {
          err.println("grant-printer: topic " + topic + " does not exist at " + bootstrap + " (is the job running?)");
          return null;
        }
        if (!told) {
          note("waiting for topic " + topic + " (the job creates it)...");
          told = true;
        }
        Thread.sleep(1000);
      }
    }
  }

  private void note(String message) {
    out.println("  " + message);
    out.flush();
  }

  private static JsonNode parse(String value) {
    if (value == null) {
      return null;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(value);
      return n != null && n.isObject() ? n : null;
    } catch (Exception e) {
      return null;
    }
  }

  // ---- formatting ----------------------------------------------------------------------------

  private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");

  static String hms(long epochMs) {
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneId.systemDefault()).format(HMS);
  }

  /** One line: time issued, user, campaign, reward, and when a delivery was deferred, since when. */
  static String line(JsonNode g) {
    long issued = g.path("issuedAt").asLong(g.path("deliverAt").asLong(0));
    long qualified = g.path("qualifiedAt").asLong(0);
    long deliverAt = g.path("deliverAt").asLong(0);
    String user = g.path("userId").asText("?");
    String campaign = g.path("campaignId").asText("?");
    StringBuilder sb = new StringBuilder();
    sb.append(issued > 0 ? hms(issued) : "--:--:--").append("  ");
    sb.append(String.format("%-12s %-24s ", user, campaign));
    sb.append(reward(g.path("reward")));
    if (qualified > 0 && deliverAt - qualified > 60_000) {
      sb.append("  (qualified ").append(hms(qualified)).append(", deferred by its delivery rule)");
    }
    return sb.toString();
  }

  static String reward(JsonNode r) {
    if (r.hasNonNull("points")) {
      return "+" + String.format("%,d", r.get("points").asLong()) + " points";
    }
    String type = r.path("type").asText("");
    StringBuilder sb = new StringBuilder();
    sb.append(type.equals("PARTNER_VOUCHER") ? "voucher " : "code ").append(r.path("code").asText("?"));
    List<String> notes = new ArrayList<>();
    if (r.hasNonNull("partner")) {
      notes.add(r.get("partner").asText());
    } else if (r.hasNonNull("series")) {
      notes.add("series " + r.get("series").asText());
    }
    if (r.hasNonNull("expiresAt")) {
      notes.add("valid to " + LocalDateTime.ofInstant(Instant.ofEpochMilli(r.get("expiresAt").asLong()),
          ZoneId.systemDefault()).format(DAY));
    }
    if (!notes.isEmpty()) {
      sb.append(" (").append(String.join(", ", notes)).append(')');
    }
    return sb.toString();
  }

  /**
   * At most about {@code rate} lines a second (a token bucket holding two seconds' worth); the
   * grants beyond it are counted per campaign and reported in one line every two seconds.
   */
  static final class LineBudget {
    private final double rate;
    private double tokens;
    private long last = System.nanoTime();
    private long lastReport = System.nanoTime();
    private final Map<String, Integer> skipped = new TreeMap<>();
    private int skippedTotal;

    LineBudget(double rate) {
      this.rate = rate;
      this.tokens = 2 * rate;
    }

    boolean take() {
      if (rate <= 0) {
        return true;
      }
      long now = System.nanoTime();
      tokens = Math.min(2 * rate, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }

    void skipped(String campaign) {
      skipped.merge(campaign, 1, Integer::sum);
      skippedTotal++;
    }

    /** The "... and N more" line when it is due, else null. */
    String report() {
      long now = System.nanoTime();
      if (skippedTotal == 0 || now - lastReport < 2_000_000_000L) {
        return null;
      }
      StringBuilder sb = new StringBuilder(String.format("          ... and %,d more (", skippedTotal));
      int i = 0;
      for (Map.Entry<String, Integer> e : skipped.entrySet()) {
        sb.append(i++ == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
      }
      sb.append(')');
      skipped.clear();
      skippedTotal = 0;
      lastReport = now;
      return sb.toString();
    }
  }

  /** Running totals per campaign since the printer started. */
  static final class Summary {
    private static final class Row {
      long grants;
      long points;
      long codes;
    }

    private final Map<String, Row> rows = new TreeMap<>();
    private final long started = System.currentTimeMillis();
    private long total;
    private long totalAtLastRender;

    void add(JsonNode g) {
      Row row = rows.computeIfAbsent(g.path("campaignId").asText("?"), k -> new Row());
      row.grants++;
      JsonNode r = g.path("reward");
      if (r.hasNonNull("points")) {
        row.points += r.get("points").asLong();
      }
      if (r.hasNonNull("code")) {
        row.codes++;
      }
      total++;
    }

    long total() {
      return total;
    }

    boolean changed() {
      return total != totalAtLastRender;
    }

    String render(boolean last) {
      totalAtLastRender = total;
      int width = Math.max(24, rows.keySet().stream().mapToInt(String::length).max().orElse(0));
      String since = DemoDurations.format(Duration.ofMillis(System.currentTimeMillis() - started));
      StringBuilder sb = new StringBuilder();
      String title = "── " + hms(System.currentTimeMillis()) + "  " + (last ? "final: " : "")
          + String.format("%,d", total) + (total == 1 ? " grant" : " grants") + " in " + since + " ";
      sb.append('\n').append(title).append("─".repeat(Math.max(3, width + 36 - title.length()))).append('\n');
      sb.append(String.format("   %-" + width + "s %8s %11s %7s%n", "campaign", "grants", "points", "codes"));
      long points = 0;
      long codes = 0;
      for (Map.Entry<String, Row> e : rows.entrySet()) {
        Row r = e.getValue();
        sb.append(String.format("   %-" + width + "s %,8d %,11d %,7d%n", e.getKey(), r.grants, r.points, r.codes));
        points += r.points;
        codes += r.codes;
      }
      sb.append(String.format("   %-" + width + "s %,8d %,11d %,7d%n%n", "total", total, points, codes));
      return sb.toString();
    }
  }
}
