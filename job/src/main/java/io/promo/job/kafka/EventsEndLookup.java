package io.promo.job.kafka;

import io.promo.flow.PartitionEnd;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether the events source has read a partition to its end, for a read_committed reader.
 *
 * <p>The end is the partition's last stable offset (a ListOffsets request with read_committed
 * isolation). The reader's next offset (after the last record it got) can be behind it with
 * nothing left to read: a transaction's commit marker takes an offset, and so does every record
 * of an aborted transaction. So when the end is ahead, this reads from the next offset with a
 * read_committed consumer of its own: a committed record before the end means a backlog; getting
 * past the end with none means caught up.
 *
 * <p>One consumer (no group, nothing committed) and one daemon thread per reader, both made on
 * the first question, so the task's thread never waits on the broker; closed with the reader
 * (the event gate closes it). A question that cannot be answered in {@link #TIMEOUT} fails: the
 * partition then counts as caught up. Failures are logged once, then at most once a minute.
 */
public final class EventsEndLookup implements PartitionEnd {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(EventsEndLookup.class);
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long WARN_EVERY_MS = 60_000;
  private static final AtomicInteger READERS = new AtomicInteger();

  private final Properties kafka;

  /** @param kafka the Kafka client properties of the job (bootstrap servers, security) */
  public EventsEndLookup(Properties kafka) {
    this.kafka = kafka;
  }

  @Override
  public Lookup open() {
    return new Reader(consumerProperties(kafka));
  }

  static Properties consumerProperties(Properties kafka) {
    Properties p = new Properties();
    p.putAll(kafka);
    p.remove("group.id");
    p.remove("group.instance.id");
    p.setProperty("client.id", "promo-events-end-" + READERS.incrementAndGet());
    p.setProperty("enable.auto.commit", "false");
    p.setProperty("isolation.level", "read_committed");
    // Like the events source: a position the log no longer has means reading from its start.
    p.setProperty("auto.offset.reset", "earliest");
    // One record tells a backlog; fetch little.
    p.setProperty("max.poll.records", "1");
    p.setProperty("max.partition.fetch.bytes", "65536");
    p.setProperty("fetch.max.bytes", "65536");
    p.setProperty("default.api.timeout.ms", String.valueOf(TIMEOUT.toMillis()));
    p.setProperty("request.timeout.ms", String.valueOf(TIMEOUT.toMillis()));
    return p;
  }

  /** One reader's lookups: a consumer used only by its own thread. */
  static final class Reader implements Lookup {
    private final Properties props;
    private ExecutorService thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean closed;
    private boolean failing;
    private long warnedAt;

    Reader(Properties props) {
      this.props = props;
    }

    @Override
    public CompletableFuture<Boolean> caughtUp(String topic, int partition, long nextOffset) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("closed"));
      }
      if (thread == null) {
        thread = Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, props.getProperty("client.id"));
          t.setDaemon(true);
          return t;
        });
      }
      TopicPartition tp = new TopicPartition(topic, partition);
      try {
        return CompletableFuture.supplyAsync(() -> answer(tp, nextOffset), thread);
      } catch (RejectedExecutionException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    private boolean answer(TopicPartition tp, long nextOffset) {
      try {
        boolean caughtUp = caughtUp(consumer(), tp, nextOffset);
        if (failing) {
          failing = false;
          LOG.info("The end of {} can be looked up again", tp);
        }
        return caughtUp;
      } catch (RuntimeException | TimeoutException e) {
        dropConsumer();
        if (!closed) {
          long now = System.currentTimeMillis();
          if (!failing || now - warnedAt >= WARN_EVERY_MS) {
            LOG.warn("Cannot tell whether {} has been read to its end; once quiet, its event time follows the wall"
                + " clock as if it had (a backlog read after this may be LATE)", tp, e);
            warnedAt = now;
          }
          failing = true;
        }
        throw new CompletionException(e);
      }
    }

    /** Whether a read_committed reader whose next offset is {@code next} has nothing left to read. */
    static boolean caughtUp(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long next) throws TimeoutException {
      Long end = c.endOffsets(List.of(tp), TIMEOUT).get(tp);
      if (end == null) {
        throw new IllegalStateException("no end offset for " + tp);
      }
      if (next >= end) {
        return true;
      }
      c.assign(List.of(tp));
      c.seek(tp, next);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        List<ConsumerRecord<byte[], byte[]>> got = c.poll(Duration.ofMillis(100)).records(tp);
        if (!got.isEmpty()) {
          return got.get(0).offset() >= end; // a committed record before the end: a backlog
        }
        if (c.position(tp, TIMEOUT) >= end) {
          return true; // only markers and aborted records between the reader and the end
        }
      }
      throw new TimeoutException("read from " + next + " of " + tp + " for " + TIMEOUT + " without reaching " + end);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c == null) {
        c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer = c;
      }
      return c;
    }

    private void dropConsumer() {
      KafkaConsumer<byte[], byte[]> c = consumer;
      consumer = null;
      if (c != null) {
        try {
          c.close(CloseOptions.timeout(Duration.ZERO));
        } catch (RuntimeException e) {
          LOG.debug("Closing the events end consumer", e);
        }
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (thread == null) {
        return;
      }
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup(); // a question in flight ends at once (WakeupException)
      }
      thread.execute(this::dropConsumer);
      thread.shutdown();
      try {
        if (!thread.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          thread.shutdownNow();
        }
      } catch (InterruptedException e) {
        thread.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
