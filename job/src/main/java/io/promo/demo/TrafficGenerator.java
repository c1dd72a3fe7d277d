package io.promo.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo's traffic: a simulated population of users (cart abandoners, big spenders, off-peak
 * shoppers, users who go quiet, first-time UPI payers, gamers, newcomers, a few staff members)
 * producing contract Events (CONTRACT §2) to {@code promo.events}, keyed by userId, with
 * {@code ts} = the wall clock, at a steady rate, for a duration or until Ctrl-C.
 *
 * <pre>
 *   java -cp ... io.promo.demo.TrafficGenerator [--rate 50] [--users 2000] [--duration 10m]
 * </pre>
 *
 * Exit codes: 0 done, 1 failed, 2 usage, 3 cannot reach Kafka or the topic does not exist.
 */
@Command(name = "traffic-generator", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Simulates a population of users and produces their events to the events topic (CONTRACT §2): "
            + "key userId, ts = the wall clock, props and profile as the example campaigns (examples/) expect.",
        "Personas: shoppers, cart abandoners (add_to_cart, no checkout), big spenders (orders >= 1000), off-peak "
            + "shoppers, users who go quiet after a few minutes, first-time UPI payers, gamers (level_complete, "
            + "coins_spent), newcomers (signup, kyc_completed) and staff members (staff-001..., excluded by the "
            + "campaigns' segments). Runs until --duration, --max-events or Ctrl-C."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:failed", "2:usage error", "3:cannot reach Kafka, or the topic does not exist"})
public final class TrafficGenerator implements java.util.concurrent.Callable<Integer> {
  static final int EXIT_FAILED = 1;
  static final int EXIT_NO_KAFKA = 3;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
      defaultValue = "${env:PROMO_BOOTSTRAP:-localhost:9092}",
      description = "Kafka bootstrap servers (env PROMO_BOOTSTRAP; default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "promo.events",
      description = "Events topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "50",
      description = "Events per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--users", paramLabel = "N", defaultValue = "2000",
      description = "Users in the population (default: ${DEFAULT-VALUE}), plus one staff member per 100 (at most 20).")
  int users;

  @Option(names = "--duration", paramLabel = "DURATION", converter = DemoDurations.class,
      description = "Stop after this long (30s, 10m, 2h, PT10M; default: until Ctrl-C).")
  Duration duration;

  @Option(names = "--max-events", paramLabel = "N", description = "Stop after N events.")
  Long maxEvents;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "Seed of the population and its behaviour (default: ${DEFAULT-VALUE}); event ids differ per run.")
  long seed;

  @Option(names = "--stats-every", paramLabel = "DURATION", defaultValue = "30s", converter = DemoDurations.class,
      description = "Print a progress line on stderr this often (default: ${DEFAULT-VALUE}; 0 for never).")
  Duration statsEvery;

  @Option(names = "--wait-for-topic", paramLabel = "DURATION", defaultValue = "60s", converter = DemoDurations.class,
      description = "How long to wait for the topic to exist (the job creates it; default: ${DEFAULT-VALUE}).")
  Duration waitForTopic;

  @Option(names = "--print", description = "Print the events as JSON lines on stdout instead of sending them.")
  boolean print;

  @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
      description = "Extra Kafka producer property, repeatable (e.g. -X security.protocol=SASL_SSL).")
  Map<String, String> kafkaProperties = new TreeMap<>();

  private final PrintStream err = System.err;
  private final PrintStream out = System.out;
  private volatile boolean stopping;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrafficGenerator()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (rate <= 0 || users < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--rate and --users must be positive");
    }
    long start = System.currentTimeMillis();
    Population population = Population.create(users, seed, start);
    String runId = Long.toString(start % 2_176_782_336L, 36); // 6 base-36 digits: event ids unique per run
    Simulation sim = new Simulation(population, seed, runId, rate);

    if (print) {
      return run(sim, start, (key, json) -> out.println(json), () -> {});
    }

    Properties p = new Properties();
    p.putAll(kafkaProperties);
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "promo-traffic-generator");
    p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
    p.putIfAbsent(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    int code = checkTopic(p);
    if (code != 0) {
      return code;
    }
    AtomicLong failed = new AtomicLong();
    AtomicReference<String> lastError = new AtomicReference<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      log("producing to " + topic + " at " + bootstrap + ": " + fmtRate(rate) + " events/s from "
          + population.size() + " users (" + personaSummary(population) + ")"
          + (duration == null ? "" : " for " + DemoDurations.format(duration)) + "; Ctrl-C stops");
      int rc = run(sim, start, (key, json) -> producer.send(new ProducerRecord<>(topic, key, json), (md, ex) -> {
        if (ex != null && failed.getAndIncrement() < 3) {
          lastError.set(ex.getMessage());
          log("could not send an event: " + ex.getMessage());
        }
      }), producer::flush);
      if (failed.get() > 0) {
        log(failed.get() + " event(s) could not be sent; last error: " + lastError.get());
        return EXIT_FAILED;
      }
      return rc;
    }
  }

  /** Checks that Kafka answers and the topic exists (waiting for the job to create it). */
  private int checkTopic(Properties producerProps) throws InterruptedException {
    Properties a = new Properties();
    for (String k : List.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "security.protocol", "sasl.mechanism",
        "sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password")) {
      if (producerProps.containsKey(k)) {
        a.setProperty(k, producerProps.getProperty(k));
      }
    }
    a.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "promo-traffic-generator-admin");
    a.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    a.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    try (Admin admin = Admin.create(a)) {
      long deadline = System.nanoTime() + waitForTopic.toNanos();
      boolean told = false;
      while (true) {
        Set<String> names;
        try {
          names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          log("cannot reach Kafka at " + bootstrap + " (" + rootMessage(e) + ")");
          return EXIT_NO_KAFKA;
        }
        if (names.contains(topic)) {
          return 0;
        }
        if (System.nanoTime() > deadline) {
          log("topic " + topic + " does not exist at " + bootstrap
              + " (start the job, which creates it, or scripts/topics)");
          return EXIT_NO_KAFKA;
        }
        if (!told) {
          log("waiting for topic " + topic + " (the job creates it)...");
          told = true;
        }
        Thread.sleep(1000);
      }
    }
  }

  interface Sink {
    void send(String key, String json);
  }

  /** The paced loop: sends events at {@link #rate} until the end; prints progress on stderr. */
  private int run(Simulation sim, long start, Sink sink, Runnable flush) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stopping = true;
      try {
        done.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "traffic-generator-stop");
    Runtime.getRuntime().addShutdownHook(hook);

    long t0 = System.nanoTime();
    long end = duration == null ? Long.MAX_VALUE : t0 + duration.toNanos();
    long statsNanos = statsEvery.isZero() ? Long.MAX_VALUE : statsEvery.toNanos();
    long nextStats = t0 + statsNanos;
    long sent = 0;
    long sentAtLastStats = 0;
    long lastStatsAt = t0;
    Map<String, Long> byName = new TreeMap<>();
    // Pacing: send what is due by the elapsed time; after a stall (GC, broker hiccup) resume
    // from now instead of bursting to catch up more than a second's worth.
    double credit = 0;
    long last = t0;
    long sleepMs = Math.max(1, Math.min(20, (long) (1000 / rate)));
    try {
      while (!stopping && System.nanoTime() < end && (maxEvents == null || sent < maxEvents)) {
        long nowNanos = System.nanoTime();
        credit = Math.min(credit + (nowNanos - last) / 1e9 * rate, Math.max(1, rate));
        last = nowNanos;
        while (credit >= 1 && !stopping && (maxEvents == null || sent < maxEvents)) {
          Simulation.Emitted e = sim.next(System.currentTimeMillis());
          if (e == null) {
            credit = 0; // everyone is busy: wait for the next due step
            break;
          }
          sink.send(e.userId(), e.json());
          byName.merge(e.name(), 1L, Long::sum);
          sent++;
          credit -= 1;
        }
        if (nowNanos >= nextStats) {
          double secs = (nowNanos - lastStatsAt) / 1e9;
          log(String.format("sent %,d events in the last %s (%.1f/s), %,d in all; %s; users: %,d sessions, %,d went quiet",
              sent - sentAtLastStats, DemoDurations.format(Duration.ofNanos(nowNanos - lastStatsAt)),
              (sent - sentAtLastStats) / secs, sent, top(byName), sim.sessionsStarted(),
              sim.quietUsers(System.currentTimeMillis())));
          byName.clear();
          sentAtLastStats = sent;
          lastStatsAt = nowNanos;
          nextStats = nowNanos + statsNanos;
        }
        Thread.sleep(sleepMs);
      }
      flush.run();
    } finally {
      if (!print) {
        log(String.format("stopped after %,d events in %s", sent,
            DemoDurations.format(Duration.ofNanos(System.nanoTime() - t0))));
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
    return 0;
  }

  private static String top(Map<String, Long> byName) {
    StringBuilder sb = new StringBuilder();
    byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(6)
        .forEach(e -> sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue()));
    return sb.toString();
  }

  private static String personaSummary(Population p) {
    StringBuilder sb = new StringBuilder();
    for (Population.Persona persona : Population.Persona.values()) {
      int n = p.byPersona.get(persona).size();
      if (n > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ')
            .append(persona.name().toLowerCase().replace('_', ' '));
      }
    }
    if (!p.staff.isEmpty()) {
      sb.append(", ").append(p.staff.size()).append(" staff");
    }
    return sb.toString();
  }

  private static String fmtRate(double r) {
    return r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r);
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private void log(String message) {
    err.println("[traffic " + LocalTime.now().format(TIME) + "] " + message);
    err.flush();
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m.split("\n")[0];
  }
}
