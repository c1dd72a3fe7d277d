package io.promo.job.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promo.flow.EventWatermarks;
import io.promo.job.Io;
import io.promo.job.JobConfig;
import io.promo.job.PromoJob;
import io.promo.job.PromoWorkflow;
import io.promo.job.kafka.KafkaIo;
import io.promo.job.kafka.Topics;
import io.promo.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The job on a local MiniCluster at parallelism 2 against the shared real broker, with its own
 * topics, plus the clients a test needs to feed it and read what it writes.
 */
public final class PromoTestJob implements AutoCloseable {
  public final JobConfig cfg;
  private final KafkaProducer<byte[], byte[]> producer;
  private JobClient job;
  private int commandSeq;

  public PromoTestJob(String... overrides) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    JobConfig c = JobConfig.defaults()
        .with("bootstrap.servers", Broker.bootstrapServers())
        .with("group.id", "it-" + run)
        .with("transactional.id.prefix", "it-" + run)
        .with("parallelism", "2")
        .with("checkpoint.interval", "PT1S")
        .with("checkpoint.dir", "file://" + java.nio.file.Files.createTempDirectory("promo-ckpt-" + run))
        .with("out-of-orderness", "PT1S")
        .with("quiet-after", "PT1S")
        .with("idle-timeout", "PT5S")
        .with("status.interval", "PT1S")
        .with("control.catch-up.max", "PT20S");
    for (String t : List.of("events", "control", "grants", "rejections", "campaign-status", "alerts", "dead-letters")) {
      c = c.with("topic." + t, "it-" + run + "." + t);
    }
    for (int i = 0; i + 1 < overrides.length; i += 2) {
      c = c.with(overrides[i], overrides[i + 1]);
    }
    this.cfg = c;
    Topics.ensure(cfg);
    Properties p = Broker.clientProperties();
    p.setProperty("acks", "all");
    p.setProperty("linger.ms", "0");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** A copy of this job's config pointing at fresh output topics and group (for replays). */
  public static PromoTestJob replayOf(PromoTestJob original) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> o = new ArrayList<>();
    for (String t : List.of("events", "control")) {
      o.add("topic." + t);
      o.add(original.cfg.get("topic." + t));
    }
    PromoTestJob replay = new PromoTestJob(o.toArray(new String[0]));
    return replay;
  }

  public PromoTestJob start() throws Exception {
    StreamExecutionEnvironment env = PromoJob.environment(cfg);
    env.configure(PromoJob.settings(cfg));
    Io io = KafkaIo.create(cfg);
    PromoWorkflow.define(env, io, cfg, System::currentTimeMillis);
    job = env.executeAsync("promo-it");
    return this;
  }

  /** Starts the job from a savepoint (with this job's config, e.g. another parallelism). */
  public PromoTestJob startFrom(String savepoint) throws Exception {
    StreamExecutionEnvironment env = PromoJob.environment(cfg);
    Configuration conf = PromoJob.settings(cfg);
    conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    env.configure(conf);
    PromoWorkflow.define(env, KafkaIo.create(cfg), cfg, System::currentTimeMillis);
    job = env.executeAsync("promo-it");
    return this;
  }

  /** Stops the job with a savepoint and returns its path. */
  public String stopWithSavepoint() throws Exception {
    String dir = "file://" + java.nio.file.Files.createTempDirectory("promo-savepoint");
    String path = job.stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
    job = null;
    return path;
  }

  /** The same job again (same topics, group and transactional ids), with some options changed. */
  public PromoTestJob sameJob(String... overrides) throws Exception {
    PromoTestJob again = new PromoTestJob(cfg, overrides);
    return again;
  }

  private PromoTestJob(JobConfig base, String... overrides) throws Exception {
    JobConfig c = base;
    for (int i = 0; i + 1 < overrides.length; i += 2) {
      c = c.with(overrides[i], overrides[i + 1]);
    }
    this.cfg = c;
    Properties p = Broker.clientProperties();
    p.setProperty("acks", "all");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public PromoTestJob start(Io io, EventWatermarks.SerializableClock clock) throws Exception {
    StreamExecutionEnvironment env = PromoJob.environment(cfg);
    PromoWorkflow.define(env, io, cfg, clock);
    job = env.executeAsync("promo-it");
    return this;
  }

  public JobClient client() {
    return job;
  }

  // ---- input ---------------------------------------------------------------------------------

  public void send(String topicKey, String key, String json) throws Exception {
    send(topicKey, key, json.getBytes(StandardCharsets.UTF_8));
  }

  public void send(String topicKey, String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(cfg.get("topic." + topicKey), key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
        .get(10, TimeUnit.SECONDS);
  }

  /** Sends a command; fills in commandId and actor when missing. Returns the commandId. */
  public String command(String json) throws Exception {
    ObjectNode n = (ObjectNode) Json.tree(json);
    if (!n.has("commandId")) {
      n.put("commandId", "cmd-" + (++commandSeq) + "-" + UUID.randomUUID().toString().substring(0, 6));
    }
    if (!n.has("actor")) {
      n.put("actor", "it");
    }
    String key = n.hasNonNull("campaignId") ? n.get("campaignId").asText()
        : n.has("campaign") ? n.get("campaign").path("id").asText() : n.path("series").asText(n.path("list").asText());
    send("control", key, n.toString());
    return n.get("commandId").asText();
  }

  public void upsert(String campaignJson) throws Exception {
    command("{\"type\":\"campaign.upsert\",\"campaign\":" + campaignJson + "}");
  }

  /** An upsert that takes effect at {@code at} (e.g. before the history a test feeds). */
  public void upsert(String campaignJson, long at) throws Exception {
    command("{\"type\":\"campaign.upsert\",\"at\":" + at + ",\"campaign\":" + campaignJson + "}");
  }

  public void event(String eventId, String userId, String name, long ts, String propsJson) throws Exception {
    event(eventId, userId, name, ts, propsJson, null);
  }

  public void event(String eventId, String userId, String name, long ts, String propsJson, String profileJson)
      throws Exception {
    String json = "{\"eventId\":\"" + eventId + "\",\"userId\":\"" + userId + "\",\"name\":\"" + name + "\",\"ts\":" + ts
        + (propsJson == null ? "" : ",\"props\":" + propsJson)
        + (profileJson == null ? "" : ",\"profile\":" + profileJson) + "}";
    send("events", userId, json);
  }

  // ---- output --------------------------------------------------------------------------------

  /** Reads a topic (read_committed) from the beginning until {@code done} holds or the time is up. */
  public List<JsonNode> read(String topicKey, Duration timeout, Predicate<List<JsonNode>> done) {
    Properties p = Broker.clientProperties();
    p.setProperty("group.id", "reader-" + UUID.randomUUID());
    p.setProperty("auto.offset.reset", "earliest");
    p.setProperty("enable.auto.commit", "false");
    p.setProperty("isolation.level", "read_committed");
    List<JsonNode> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(cfg.get("topic." + topicKey)));
      while (System.currentTimeMillis() < deadline && !done.test(out)) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          try {
            ObjectNode n = (ObjectNode) Json.tree(new String(r.value(), StandardCharsets.UTF_8));
            n.put("_key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
            out.add(n);
          } catch (Exception e) {
            throw new IllegalStateException("job wrote something that is not JSON to " + topicKey, e);
          }
        }
      }
    }
    return out;
  }

  /** Reads until at least {@code n} records arrived, then a little longer to catch extras. */
  public List<JsonNode> readAtLeast(String topicKey, int n, Duration timeout) {
    List<JsonNode> first = read(topicKey, timeout, l -> l.size() >= n);
    if (first.size() < n) {
      return first;
    }
    // Give duplicates or extra records a chance to show (at least two checkpoints).
    return read(topicKey, Duration.ofSeconds(4), l -> false);
  }

  @Override
  public void close() throws Exception {
    if (job != null) {
      try {
        job.cancel().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // already finished or failed
      }
    }
    producer.close();
  }
}
