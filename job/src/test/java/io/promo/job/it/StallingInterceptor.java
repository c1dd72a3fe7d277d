package io.promo.job.it;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Stalls the events source's fetch once per partition, in the middle of its backlog: the first
 * time a poll returns a record at offset {@link #AT} or later, the consumer (the source's fetcher
 * thread, not the task's) sleeps {@link #FOR_MS}. The task meanwhile has nothing to emit, like a
 * source held up by backpressure or a slow broker, while the partition still has a backlog.
 */
public final class StallingInterceptor implements ConsumerInterceptor<byte[], byte[]> {
  static final long AT = 100;
  static final long FOR_MS = 2_000;
  /** Partitions stalled so far ("topic-partition"). */
  static final Set<String> STALLED = ConcurrentHashMap.newKeySet();

  @Override
  public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      boolean due = records.records(tp).stream().anyMatch(r -> r.offset() >= AT);
      if (due && STALLED.add(tp.toString())) {
        try {
          Thread.sleep(FOR_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return records;
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
