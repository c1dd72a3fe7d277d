package io.promo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows the job's feedback topics (status, alerts) from their end as of {@link #start}: started
 * before a command is sent, it sees every answer to it.
 */
final class Watcher {
  private final KafkaConsumer<String, String> consumer;
  private final List<String> topics;

  private Watcher(KafkaConsumer<String, String> consumer, List<String> topics) {
    this.consumer = consumer;
    this.topics = topics;
  }

  /** Watches the topics that exist (missing ones are left out; see {@link #topics()}). */
  static Watcher start(KafkaAccess kafka, List<String> topics) {
    Map<String, List<TopicPartition>> parts = kafka.partitions(topics);
    List<TopicPartition> all = new ArrayList<>();
    parts.values().forEach(all::addAll);
    KafkaConsumer<String, String> c = kafka.consumer();
    c.assign(all);
    Map<TopicPartition, Long> end = c.endOffsets(all, Duration.ofSeconds(30));
    end.forEach(c::seek);
    return new Watcher(c, List.copyOf(parts.keySet()));
  }

  /** The watched topics (those that existed at start). */
  List<String> topics() {
    return topics;
  }

  /**
   * Polls until {@code handler} (given each record's topic and JSON value) returns true, or the
   * timeout passes. Returns whether the handler finished.
   */
  boolean until(Duration timeout, BiPredicate<String, JsonNode> handler) {
    if (topics.isEmpty()) {
      return false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      var records = consumer.poll(Duration.ofNanos(Math.min(left, Duration.ofMillis(250).toNanos())));
      for (ConsumerRecord<String, String> r : records) {
        JsonNode v = r.value() == null ? null : KafkaAccess.parseObject(r.value());
        if (v != null && handler.test(r.topic(), v)) {
          return true;
        }
      }
    }
  }
}
