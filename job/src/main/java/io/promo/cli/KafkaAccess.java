package io.promo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * promoctl's only door to Kafka: a reachability check, a producer for the control topic, and
 * consumers that read a topic from its beginning to its current end or follow it from now on.
 * Clients are created lazily and closed together.
 */
final class KafkaAccess implements AutoCloseable {
  /** How long a snapshot read may go without progress before giving up. */
  private static final Duration STALL = Duration.ofSeconds(30);

  private final String bootstrap;
  private final Map<String, String> extra;
  private final Duration connectTimeout;
  private Admin admin;
  private KafkaProducer<String, String> producer;
  private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();

  KafkaAccess(String bootstrap, Map<String, String> extra, Duration connectTimeout) {
    this.bootstrap = bootstrap;
    this.extra = extra == null ? Map.of() : extra;
    this.connectTimeout = connectTimeout;
    try {
      Class.forName("org.slf4j.LoggerFactory");
    } catch (ClassNotFoundException e) {
      throw new CliException(Exit.REJECTED,
          "slf4j-api is not on the class path (the Kafka clients need it): run promoctl through scripts/promoctl");
    }
  }

  String bootstrap() {
    return bootstrap;
  }

  private Properties base(String clientId) {
    Properties p = new Properties();
    p.putAll(extra);
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("client.id", clientId);
    p.putIfAbsent("reconnect.backoff.max.ms", "1000");
    return p;
  }

  private Admin admin() {
    if (admin == null) {
      int ms = (int) Math.max(500, connectTimeout.toMillis());
      Properties p = base("promoctl-admin");
      p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(ms));
      p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ms));
      p.putIfAbsent(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(ms, 10_000)));
      p.putIfAbsent(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, String.valueOf(Math.min(ms, 10_000)));
      try {
        admin = Admin.create(p);
      } catch (KafkaException e) {
        throw unreachable(rootMessage(e));
      }
    }
    return admin;
  }

  /** Fails with exit code 3 unless the cluster answers a describeCluster within the connect timeout. */
  void ensureReachable() {
    long ms = Math.max(500, connectTimeout.toMillis());
    try {
      admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) ms))
          .clusterId().get(ms + 2000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw unreachable("no answer within " + Durations.format(connectTimeout));
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable("no answer within " + Durations.format(connectTimeout));
      }
      throw unreachable(rootMessage(c));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable("interrupted");
    }
  }

  private CliException unreachable(String why) {
    return new CliException(Exit.UNREACHABLE, "cannot reach Kafka at " + bootstrap + ": " + why
        + ". Is the broker running? (set --bootstrap-servers or PROMO_BOOTSTRAP)");
  }

  /** The partitions of a topic, or null when it does not exist. */
  List<TopicPartition> partitions(String topic) {
    Map<String, List<TopicPartition>> all = partitions(List.of(topic));
    return all.get(topic);
  }

  /** The partitions of each topic that exists (missing topics are left out). */
  Map<String, List<TopicPartition>> partitions(Collection<String> topics) {
    Map<String, List<TopicPartition>> out = new LinkedHashMap<>();
    long ms = Math.max(500, connectTimeout.toMillis());
    var futures = admin().describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) ms)).topicNameValues();
    for (String t : topics) {
      try {
        TopicDescription d = futures.get(t).get(ms + 2000, TimeUnit.MILLISECONDS);
        List<TopicPartition> tps = new ArrayList<>();
        d.partitions().forEach(p -> tps.add(new TopicPartition(t, p.partition())));
        out.put(t, tps);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new CliException(Exit.UNREACHABLE, "cannot describe topic " + t + ": " + rootMessage(e.getCause()));
        }
      } catch (TimeoutException e) {
        throw unreachable("no answer within " + Durations.format(connectTimeout) + " describing topic " + t);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(Exit.REJECTED, "interrupted");
      }
    }
    return out;
  }

  /** Fails (exit 1) when the topic does not exist. */
  List<TopicPartition> requireTopic(String topic, String what) {
    List<TopicPartition> tps = partitions(topic);
    if (tps == null) {
      throw CliException.invalid("topic " + topic + " (" + what + ") does not exist at " + bootstrap
          + ": start the job once (it creates its topics) or run scripts/topics");
    }
    return tps;
  }

  /** One record for the control topic. */
  record Outgoing(String key, String value) {}

  /** Writes the records in order (idempotent producer, acks=all) and waits until all are acknowledged. */
  List<RecordMetadata> send(String topic, List<Outgoing> records) {
    if (producer == null) {
      Properties p = base("promoctl");
      p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
      p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
      p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
      p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
      p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
      producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
    List<Future<RecordMetadata>> futures = new ArrayList<>();
    try {
      for (Outgoing r : records) {
        futures.add(producer.send(new ProducerRecord<>(topic, r.key(), r.value())));
      }
      producer.flush();
      List<RecordMetadata> out = new ArrayList<>();
      for (Future<RecordMetadata> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (ExecutionException | KafkaException e) {
      Throwable c = e instanceof ExecutionException ? e.getCause() : e;
      throw new CliException(Exit.REJECTED, "could not write to " + topic + ": " + rootMessage(c)
          + (futures.size() > 1 ? " (some of the " + records.size() + " commands may have been written)" : ""));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Exit.REJECTED, "interrupted while writing to " + topic);
    }
  }

  /** A read_committed consumer without a group (positions are never committed). */
  KafkaConsumer<String, String> consumer() {
    Properties p = base("promoctl-reader");
    p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    consumers.add(c);
    return c;
  }

  /**
   * A compacted topic's current state: read from the beginning to the end offsets of now,
   * keeping the latest value per key (a null value deletes the key). Values that are not JSON
   * objects are skipped.
   */
  Map<String, JsonNode> latestByKey(String topic) {
    List<TopicPartition> tps = partitions(topic);
    Map<String, JsonNode> latest = new LinkedHashMap<>();
    if (tps == null || tps.isEmpty()) {
      return latest;
    }
    KafkaConsumer<String, String> c = consumer();
    c.assign(tps);
    Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(30));
    c.seekToBeginning(tps);
    readUntil(c, end, r -> {
      if (r.value() == null) {
        latest.remove(r.key());
        return;
      }
      JsonNode v = parseObject(r.value());
      if (v == null) {
        return;
      }
      String key = r.key() != null ? r.key() : v.path("id").asText(null);
      if (key != null) {
        latest.remove(key); // re-insert: map order = order of the latest update
        latest.put(key, v);
      }
    });
    return latest;
  }

  /** The last {@code perPartition} records of each partition of a topic (all of it when smaller), as JSON objects. */
  List<JsonNode> recent(String topic, long perPartition) {
    List<TopicPartition> tps = partitions(topic);
    List<JsonNode> out = new ArrayList<>();
    if (tps == null || tps.isEmpty()) {
      return out;
    }
    KafkaConsumer<String, String> c = consumer();
    c.assign(tps);
    Map<TopicPartition, Long> begin = c.beginningOffsets(tps, Duration.ofSeconds(30));
    Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(30));
    for (TopicPartition tp : tps) {
      c.seek(tp, Math.max(begin.get(tp), end.get(tp) - perPartition));
    }
    readUntil(c, end, r -> {
      JsonNode v = r.value() == null ? null : parseObject(r.value());
      if (v != null) {
        out.add(v);
      }
    });
    return out;
  }

  private static void readUntil(KafkaConsumer<String, String> c, Map<TopicPartition, Long> end,
      java.util.function.Consumer<ConsumerRecord<String, String>> each) {
    Map<TopicPartition, Long> remaining = new HashMap<>(end);
    long lastProgress = System.nanoTime();
    while (true) {
      remaining.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
      if (remaining.isEmpty()) {
        return;
      }
      var records = c.poll(Duration.ofMillis(200));
      if (!records.isEmpty()) {
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
        throw new CliException(Exit.UNREACHABLE, "reading " + remaining.keySet() + " made no progress for "
            + Durations.format(STALL));
      }
      for (ConsumerRecord<String, String> r : records) {
        Long stop = end.get(new TopicPartition(r.topic(), r.partition()));
        if (stop != null && r.offset() < stop) {
          each.accept(r);
        }
      }
    }
  }

  /** A JSON object, or null when the text is not one. */
  static JsonNode parseObject(String text) {
    try {
      JsonNode n = Json.tree(text);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null || m.isBlank() ? c.getClass().getSimpleName() : m;
  }

  @Override
  public void close() {
    for (KafkaConsumer<String, String> c : consumers) {
      try {
        c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
      } catch (RuntimeException ignored) {
        // closing
      }
    }
    consumers.clear();
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(1));
      admin = null;
    }
  }
}
