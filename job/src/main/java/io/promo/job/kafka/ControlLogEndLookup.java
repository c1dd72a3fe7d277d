package io.promo.job.kafka;

import io.promo.flow.ControlLogEnd;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.admin.ListOffsetsOptions;

/** Looks up the last offset of each control-topic partition with an admin client. */
public final class ControlLogEndLookup implements ControlLogEnd {
  private static final long serialVersionUID = 1L;
  private final Properties kafka;
  private final String topic;

  public ControlLogEndLookup(Properties kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
  }

  @Override
  public Map<Integer, Long> lastOffsets() throws Exception {
    try (Admin admin = Admin.create(kafka)) {
      TopicDescription d = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      Map<TopicPartition, OffsetSpec> latest = d.partitions().stream()
          .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
      Map<TopicPartition, OffsetSpec> earliest = d.partitions().stream()
          .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.earliest()));
      ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
          admin.listOffsets(latest, committed).all().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start =
          admin.listOffsets(earliest, committed).all().get(30, TimeUnit.SECONDS);
      Map<Integer, Long> out = new HashMap<>();
      end.forEach((tp, info) -> {
        long first = start.get(tp).offset();
        out.put(tp.partition(), info.offset() > first ? info.offset() - 1 : -1L);
      });
      return out;
    }
  }
}
