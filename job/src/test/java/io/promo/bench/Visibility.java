package io.promo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.job.JobConfig;
import io.promo.job.PromoWorkflow;
import io.promo.job.kafka.KafkaIo;
import io.promo.job.kafka.Topics;
import io.promo.job.it.Broker;
import io.promo.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Grant visibility through a real broker: the job with its Kafka sources and exactly-once sinks
 * (KafkaIo, as PromoJob wires it) against the in-JVM KRaft broker of the integration tests. A
 * paced producer writes the bench Workload's events with {@code ts} = the wall clock at send; a
 * {@code read_committed} consumer of the grants topic records, for each action-type grant
 * (qualified at its trigger event's time), the wall clock at which its poll returned it minus
 * the trigger event's {@code ts}. A {@code read_uncommitted} consumer records the same (when the
 * record reached the broker, before its transaction commits), and each grant's {@code issuedAt}
 * (the delivery operator's wall clock when it emitted it) gives the emission latency.
 *
 * <p>The events keep flowing at the same rate until both consumers have seen a grant triggered
 * a second after the measured window: grants of events sent in the window are then all in
 * (at parallelism 1 every path is FIFO and the watermark passes the window's events first), and
 * the tail of the window is measured under the same load as the rest.
 */
final class Visibility {
  private Visibility() {}

  /** What one run measured. */
  record Result(
      Histogram committed,
      Histogram uncommitted,
      Histogram emission,
      long eventsInWindow,
      double behindMaxMs,
      /** Checkpoints completed and failed during the measured window. */
      long checkpointsCompleted,
      long checkpointsFailed,
      double checkpointP50Ms,
      long checkpointMaxMs,
      long deadLetters,
      double otherCores,
      double jvmCores,
      boolean complete,
      double warmupSeconds) {}

  /** One run's knobs. */
  record Run(JobConfig cfg, Workload workload, int rate, double seconds, double warmupSeconds) {}

  /** The job's config pointed at the shared test broker, with this run's own topics, group and transactional ids. */
  static JobConfig onBroker(JobConfig base, String run) {
    JobConfig c = base
        .with("bootstrap.servers", Broker.bootstrapServers())
        .with("group.id", run)
        .with("transactional.id.prefix", run);
    for (String t : List.of("events", "control", "grants", "rejections", "campaign-status", "alerts", "dead-letters")) {
      c = c.with("topic." + t, run + "." + t);
    }
    return c;
  }

  /** Grants seen by one consumer: trigger ts, wall clock when polled, issuedAt. */
  static final class Samples {
    private long[] ts = new long[4096];
    private long[] seen = new long[4096];
    private long[] issued = new long[4096];
    private int n;
    volatile long firstSeenMs = -1;
    volatile long maxTriggerTs = Long.MIN_VALUE;

    synchronized void add(long triggerTs, long seenMs, long issuedAt) {
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, 2 * n);
        seen = Arrays.copyOf(seen, 2 * n);
        issued = Arrays.copyOf(issued, 2 * n);
      }
      ts[n] = triggerTs;
      seen[n] = seenMs;
      issued[n] = issuedAt;
      n++;
      if (firstSeenMs < 0) {
        firstSeenMs = seenMs;
      }
      if (triggerTs > maxTriggerTs) {
        maxTriggerTs = triggerTs;
      }
    }

    /** seen − ts (or issuedAt − ts) of the grants whose trigger ts is in [from, to), in ms. */
    synchronized Histogram histogram(long from, long to, boolean emission) {
      Histogram h = new Histogram(3_600_000L, 3);
      for (int i = 0; i < n; i++) {
        if (ts[i] >= from && ts[i] < to) {
          long v = (emission ? issued[i] : seen[i]) - ts[i];
          h.recordValue(Math.max(0, Math.min(v, 3_600_000L)));
        }
      }
      return h;
    }
  }

  static Result run(Cluster cluster, org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env,
      Run r) throws Exception {
    JobConfig cfg = r.cfg();
    Topics.ensure(cfg);
    String bootstrap = cfg.get("bootstrap.servers");
    Properties pp = new Properties();
    pp.setProperty("bootstrap.servers", bootstrap);
    pp.setProperty("acks", "all");
    // linger.ms: the client default (5 ms in Kafka 4), part of what is measured (ts is taken at send()).
    Samples committed = new Samples();
    Samples uncommitted = new Samples();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new java.util.ArrayList<>();
    Paced producer = null;
    org.apache.flink.api.common.JobID job = null;
    try (KafkaProducer<byte[], byte[]> control = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
      // The campaigns, through the control topic, before the job starts (it reads the log from its start).
      for (byte[] cmd : r.workload().commands()) {
        String s = new String(cmd, StandardCharsets.UTF_8);
        int at = s.indexOf("\"campaign\":{\"id\":\"") + 18;
        byte[] key = s.substring(at, s.indexOf('"', at)).getBytes(StandardCharsets.UTF_8);
        control.send(new ProducerRecord<>(cfg.get("topic.control"), key, cmd));
      }
      control.flush();

      PromoWorkflow.define(env, KafkaIo.create(cfg), cfg, System::currentTimeMillis);
      job = cluster.submit(env, cfg.get("group.id"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (cluster.status(job) != org.apache.flink.api.common.JobStatus.RUNNING) {
        if (cluster.status(job).isGloballyTerminalState() || System.nanoTime() > deadline) {
          cluster.await(job, Duration.ofSeconds(10));
          throw new IllegalStateException("the visibility job did not start");
        }
        Thread.sleep(50);
      }

      threads.add(consumer(bootstrap, cfg.get("topic.grants"), "read_committed", committed, stop, failure));
      threads.add(consumer(bootstrap, cfg.get("topic.grants"), "read_uncommitted", uncommitted, stop, failure));
      producer = new Paced(pp, cfg.get("topic.events"), r.workload(), r.rate(), stop, failure);
      threads.add(producer.thread);
      threads.forEach(Thread::start);

      // Warm-up: at least warmupSeconds of traffic, and the first grant visible (the job is up,
      // its first transaction committed).
      long bound = cfg.duration("out-of-orderness").toMillis();
      long interval = cfg.duration("checkpoint.interval").toMillis();
      deadline = System.currentTimeMillis() + 120_000 + bound + 4 * interval;
      while (committed.firstSeenMs < 0) {
        check(failure, cluster, job);
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("no grant became visible to a read_committed consumer within 2 minutes");
        }
        Thread.sleep(20);
      }
      long windowStart = Math.max(producer.startMs + (long) (r.warmupSeconds() * 1000), committed.firstSeenMs);
      long windowEnd = windowStart + (long) (r.seconds() * 1000);
      sleepUntil(windowStart, failure, cluster, job);
      long busy0 = Probe.machineBusyNanos();
      long cpu0 = Probe.processCpuNanos();
      long n0 = System.nanoTime();
      Map<String, Long> threads0 = Probe.threadCpu();
      long sent0 = producer.sent;
      var counts0 = cluster.graph(job).getCheckpointStatsSnapshot().getCounts();
      producer.measuring = true;
      sleepUntil(windowEnd, failure, cluster, job);
      producer.measuring = false;
      long sent1 = producer.sent;
      var counts1 = cluster.graph(job).getCheckpointStatsSnapshot().getCounts();
      long wall = System.nanoTime() - n0;
      printThreads(threads0, Probe.threadCpu(), wall);
      long cpu = Probe.processCpuNanos() - cpu0;
      double otherCores = Math.max(0, ((Probe.machineBusyNanos() - busy0) - cpu) / (double) wall);
      double jvmCores = cpu / (double) wall;

      // Both consumers past the window (a grant triggered a second after it), then a grace period.
      long drainDeadline = windowEnd + bound + 4 * interval + 30_000;
      boolean complete = true;
      while (committed.maxTriggerTs < windowEnd + 1000 || uncommitted.maxTriggerTs < windowEnd + 1000) {
        check(failure, cluster, job);
        if (System.currentTimeMillis() > drainDeadline) {
          complete = false;
          break;
        }
        Thread.sleep(20);
      }
      Thread.sleep(1000);
      check(failure, cluster, job);

      var stats = cluster.graph(job).getCheckpointStatsSnapshot();
      for (var c : stats.getHistory().getCheckpoints()) {
        if (c instanceof org.apache.flink.runtime.checkpoint.FailedCheckpointStats f) {
          System.out.printf(java.util.Locale.ROOT, "  (checkpoint %d failed %d ms after the producer started: %s)%n",
              f.getCheckpointId(), f.getTriggerTimestamp() - producer.startMs, f.getFailureMessage());
        }
      }
      var duration = stats.getSummaryStats().getEndToEndDurationStats();
      long deadLetters = count(bootstrap, cfg.get("topic.dead-letters"));
      return new Result(
          committed.histogram(windowStart, windowEnd, false),
          uncommitted.histogram(windowStart, windowEnd, false),
          committed.histogram(windowStart, windowEnd, true),
          sent1 - sent0,
          producer.behindMaxNanos / 1e6,
          counts1.getNumberOfCompletedCheckpoints() - counts0.getNumberOfCompletedCheckpoints(),
          counts1.getNumberOfFailedCheckpoints() - counts0.getNumberOfFailedCheckpoints(),
          duration.getCount() == 0 ? Double.NaN : duration.getQuantile(0.5),
          duration.getMaximum(),
          deadLetters,
          otherCores,
          jvmCores,
          complete,
          (windowStart - producer.startMs) / 1000.0);
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join(30_000);
      }
      if (job != null) {
        cluster.cancel(job);
      }
    }
  }

  private static void check(AtomicReference<Throwable> failure, Cluster cluster, org.apache.flink.api.common.JobID job)
      throws Exception {
    if (failure.get() != null) {
      throw new IllegalStateException("a visibility client failed", failure.get());
    }
    if (cluster.status(job).isGloballyTerminalState()) {
      cluster.await(job, Duration.ofSeconds(10));
      throw new IllegalStateException("the visibility job ended early");
    }
  }

  private static void sleepUntil(long wallMs, AtomicReference<Throwable> failure, Cluster cluster,
      org.apache.flink.api.common.JobID job) throws Exception {
    long left;
    while ((left = wallMs - System.currentTimeMillis()) > 0) {
      Thread.sleep(Math.min(left, 200));
      check(failure, cluster, job);
    }
  }

  /** A consumer of every partition of the grants topic from its beginning (no group: no rebalance delay). */
  private static Thread consumer(String bootstrap, String topic, String isolation, Samples out, AtomicBoolean stop,
      AtomicReference<Throwable> failure) {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("isolation.level", isolation);
    p.setProperty("enable.auto.commit", "false");
    Thread t = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        while (!stop.get()) {
          var records = c.poll(Duration.ofMillis(100));
          long now = System.currentTimeMillis();
          for (ConsumerRecord<byte[], byte[]> rec : records) {
            JsonNode g = Json.tree(new String(rec.value(), StandardCharsets.UTF_8));
            JsonNode trigger = g.path("trigger");
            long ts = trigger.path("ts").asLong(Long.MIN_VALUE);
            // Action-type grants only: qualified at their own (paced, wall-clock-dated) event's time.
            if (trigger.isObject() && ts == g.path("qualifiedAt").asLong() && trigger.path("eventId").asText().startsWith("e")) {
              out.add(ts, now, g.path("issuedAt").asLong());
            }
          }
        }
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
    }, "visibility-" + isolation);
    t.setDaemon(true);
    return t;
  }

  /** The busiest thread groups of the window, in cores (where this JVM's CPU went). */
  private static void printThreads(Map<String, Long> from, Map<String, Long> to, long wallNanos) {
    StringBuilder sb = new StringBuilder("      CPU cores by thread:");
    to.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), (e.getValue() - from.getOrDefault(e.getKey(), 0L)) / (double) wallNanos))
        .filter(e -> e.getValue() >= 0.01)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(12)
        .forEach(e -> sb.append(String.format(java.util.Locale.ROOT, " %s %.2f;",
            e.getKey().length() > 48 ? e.getKey().substring(0, 48) + "…" : e.getKey(), e.getValue())));
    System.out.println(sb);
  }

  /** Records in a topic (a fresh one: its end offsets). */
  private static long count(String bootstrap, String topic) {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Sends Workload event i at start + i / rate, dated with the wall clock at send, keyed by its user. */
  static final class Paced {
    final Thread thread;
    volatile boolean measuring;
    volatile long startMs;
    volatile long sent;
    volatile long behindMaxNanos;

    Paced(Properties props, String topic, Workload w, int rate, AtomicBoolean stop, AtomicReference<Throwable> failure) {
      thread = new Thread(() -> {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
          long start = System.nanoTime();
          startMs = System.currentTimeMillis();
          for (long i = 0; !stop.get() && failure.get() == null; i++) {
            long late = System.nanoTime() - (start + (long) (i * 1e9 / rate));
            if (late < 0) {
              LockSupport.parkNanos(-late);
            } else if (measuring && late > behindMaxNanos) {
              behindMaxNanos = late;
            }
            byte[] v = w.event(i, System.currentTimeMillis());
            p.send(new ProducerRecord<>(topic, userId(v), v), (md, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
            sent = i + 1;
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "visibility-producer");
      thread.setDaemon(true);
    }

    private static byte[] userId(byte[] event) {
      String s = new String(event, 0, Math.min(event.length, 64), StandardCharsets.US_ASCII);
      int at = s.indexOf("\"userId\":\"") + 10;
      return s.substring(at, s.indexOf('"', at)).getBytes(StandardCharsets.UTF_8);
    }
  }
}
