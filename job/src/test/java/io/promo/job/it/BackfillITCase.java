package io.promo.job.it;

import static io.promo.job.it.Campaigns.T0;
import static io.promo.job.it.Campaigns.live;
import static io.promo.job.it.Campaigns.points;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.flow.EventDecoder;
import io.promo.flow.PartitionEnd;
import io.promo.job.Io;
import io.promo.job.JobConfig;
import io.promo.job.kafka.EventsDeserializer;
import io.promo.job.kafka.EventsEndLookup;
import io.promo.job.kafka.KafkaIo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Backfill: an hour of history already in the events topic when a fresh job starts, read at full
 * speed, with the source stalled in the middle of it for several times {@code quiet-after}. No event
 * of the history may become LATE and no inaction deadline may fire before the event that cancels
 * it; once the backlog is read (the log ends with transaction markers and an aborted
 * transaction), the quiet partitions follow the wall clock and the remaining deadlines fire.
 */
class BackfillITCase {
  private static final int USERS = 300;

  record Ev(String id, String user, String name, long ts) {
    byte[] json() {
      return ("{\"eventId\":\"" + id + "\",\"userId\":\"" + user + "\",\"name\":\"" + name + "\",\"ts\":" + ts + "}")
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aStalledBackfillIsNotLateAndDeadlinesFireOnceTheBacklogIsRead() throws Exception {
    try (PromoTestJob job = new PromoTestJob("quiet-after", "PT0.3S", "topics.partitions", "2")) {
      String topic = job.cfg.get("topic.events");
      long at = T0 - 120_000;
      job.upsert(live("seen", "{\"on\":{\"event\":\"view\"}}", points(1)), at);
      job.upsert(live("then-not", "{\"on\":{\"event\":\"view\"},\"thenNot\":{\"event\":\"buy\"},\"within\":\"PT10M\"}",
          points(20)), at);

      // Every user views (2 s apart, over ten minutes); every other one buys 5 minutes later.
      List<Ev> history = new ArrayList<>();
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < USERS; i++) {
        long view = T0 + i * 2_000L;
        history.add(new Ev("v" + i, "u" + i, "view", view));
        expected.add("seen/u" + i + "/v" + i);
        if (i % 2 == 0) {
          history.add(new Ev("b" + i, "u" + i, "buy", view + 300_000));
        } else {
          expected.add("then-not/u" + i + "/v" + i);
        }
      }
      history.sort(Comparator.comparingLong(Ev::ts));
      writeTransactionally(topic, history);

      // The real events source, its fetch stalled once per partition mid-backlog; everything else as in production.
      Io kafka = KafkaIo.create(job.cfg);
      JobConfig stalling = job.cfg
          .with("kafka.interceptor.classes", StallingInterceptor.class.getName())
          .with("kafka.max.poll.records", "10");
      Io io = new Io(
          KafkaIo.eventsSource(stalling, new EventsDeserializer(new EventDecoder(job.cfg.duration("future-bound").toMillis()))),
          kafka.eventsEnd(), kafka.control(), kafka.controlEnd(),
          kafka.grants(), kafka.rejections(), kafka.alerts(), kafka.status(), kafka.deadLetters());
      job.start(io, System::currentTimeMillis);

      List<JsonNode> grants = job.readAtLeast("grants", expected.size(), Duration.ofSeconds(30));
      List<JsonNode> deadLetters = job.read("dead-letters", Duration.ofSeconds(2), l -> false);

      assertThat(StallingInterceptor.STALLED.stream().filter(tp -> tp.startsWith(topic + "-")))
          .as("the source stalled mid-backlog on both partitions")
          .hasSize(2);
      assertThat(deadLetters).as("no event of the backfill is LATE").isEmpty();
      Set<String> granted = grants.stream()
          .map(g -> g.get("campaignId").asText() + "/" + g.get("userId").asText() + "/" + g.path("trigger").path("eventId").asText())
          .collect(Collectors.toSet());
      // then-not only for the users who never bought: no deadline fired before the buy that cancels it,
      // and every other deadline fired once the partitions were quiet at their end.
      assertThat(granted).isEqualTo(expected);
      assertThat(grants).hasSize(expected.size());
    }
  }

  /**
   * The history in committed transactions (so the log has commit markers), then an aborted
   * transaction on every partition: a read_committed reader never gets those records, and the
   * partition must still count as read to its end.
   */
  private static void writeTransactionally(String topic, List<Ev> history) throws Exception {
    Properties p = Broker.clientProperties();
    p.setProperty("transactional.id", "backfill-" + UUID.randomUUID());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      for (int from = 0; from < history.size(); from += 100) {
        producer.beginTransaction();
        for (Ev e : history.subList(from, Math.min(from + 100, history.size()))) {
          producer.send(new ProducerRecord<>(topic, e.user().getBytes(StandardCharsets.UTF_8), e.json()));
        }
        producer.commitTransaction();
      }
      producer.beginTransaction();
      for (int partition = 0; partition < 2; partition++) {
        for (int i = 0; i < 3; i++) {
          Ev ghost = new Ev("ghost-" + partition + "-" + i, "ghost", "view", T0);
          producer.send(new ProducerRecord<>(topic, partition, "ghost".getBytes(StandardCharsets.UTF_8), ghost.json()));
        }
      }
      producer.flush();
      producer.abortTransaction();
    }
  }

  @Test
  void theEndLookupSeesPastTransactionMarkersAndAbortedRecords() throws Exception {
    String topic = "it-end-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = Admin.create(Broker.clientProperties())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    Properties tx = Broker.clientProperties();
    tx.setProperty("transactional.id", "end-" + topic);
    PartitionEnd.Lookup lookup = new EventsEndLookup(Broker.clientProperties()).open();
    try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(Broker.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(tx, new ByteArraySerializer(), new ByteArraySerializer())) {
      assertThat(caughtUp(lookup, topic, 0)).as("empty").isTrue();

      for (int i = 0; i < 3; i++) { // offsets 0, 1, 2
        plain.send(new ProducerRecord<>(topic, new byte[] {(byte) i})).get(10, TimeUnit.SECONDS);
      }
      assertThat(caughtUp(lookup, topic, 0)).isFalse();
      assertThat(caughtUp(lookup, topic, 2)).isFalse();
      assertThat(caughtUp(lookup, topic, 3)).isTrue();

      producer.initTransactions();
      producer.beginTransaction(); // offsets 3, 4, then the commit marker at 5
      producer.send(new ProducerRecord<>(topic, new byte[] {3}));
      producer.send(new ProducerRecord<>(topic, new byte[] {4}));
      producer.commitTransaction();
      awaitStableEnd(topic, 6);
      assertThat(caughtUp(lookup, topic, 4)).isFalse();
      assertThat(caughtUp(lookup, topic, 5)).as("only the commit marker is left").isTrue();

      producer.beginTransaction(); // offsets 6, 7, 8, then the abort marker at 9
      for (int i = 6; i <= 8; i++) {
        producer.send(new ProducerRecord<>(topic, new byte[] {(byte) i}));
      }
      producer.flush();
      producer.abortTransaction();
      awaitStableEnd(topic, 10);
      assertThat(caughtUp(lookup, topic, 5)).as("a marker, aborted records and a marker").isTrue();

      producer.beginTransaction(); // offset 10, not committed yet
      producer.send(new ProducerRecord<>(topic, new byte[] {10}));
      producer.flush();
      assertThat(caughtUp(lookup, topic, 5)).as("an open transaction is not readable yet").isTrue();
      producer.commitTransaction(); // commit marker at 11
      awaitStableEnd(topic, 12);
      assertThat(caughtUp(lookup, topic, 5)).as("offset 10 is committed now").isFalse();
      assertThat(caughtUp(lookup, topic, 11)).isTrue();
    } finally {
      lookup.close();
    }
    assertThat(lookup.caughtUp(topic, 0, 0)).as("closed").isCompletedExceptionally();
  }

  /**
   * Waits until the transaction markers are written: the coordinator writes them after the
   * producer's commit or abort returns, and until then the partition's stable end stays before
   * the transaction.
   */
  private static void awaitStableEnd(String topic, long end) throws Exception {
    TopicPartition tp = new TopicPartition(topic, 0);
    try (Admin admin = Admin.create(Broker.clientProperties())) {
      long deadline = System.currentTimeMillis() + 10_000;
      long stable;
      do {
        stable = admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .partitionResult(tp).get(10, TimeUnit.SECONDS).offset();
        if (stable < end) {
          Thread.sleep(20);
        }
      } while (stable < end && System.currentTimeMillis() < deadline);
      assertThat(stable).as("stable end of " + tp).isEqualTo(end);
    }
  }

  private static boolean caughtUp(PartitionEnd.Lookup lookup, String topic, long nextOffset)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    return lookup.caughtUp(topic, 0, nextOffset).get(20, TimeUnit.SECONDS);
  }
}
