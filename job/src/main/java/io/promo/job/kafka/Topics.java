package io.promo.job.kafka;

import io.promo.job.JobConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the job's topics that do not exist yet, with the settings the contract needs. */
public final class Topics {
  private Topics() {}

  public static List<String> ensure(JobConfig cfg) throws Exception {
    int partitions = cfg.integer("topics.partitions");
    short replication = (short) cfg.integer("topics.replication");
    List<NewTopic> wanted = new ArrayList<>();
    // The control topic is a command log: one partition (total order), kept forever, never compacted.
    wanted.add(new NewTopic(cfg.get("topic.control"), 1, replication)
        .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1", "cleanup.policy", "delete")));
    wanted.add(new NewTopic(cfg.get("topic.campaign-status"), partitions, replication)
        .configs(Map.of("cleanup.policy", "compact")));
    for (String t : List.of("topic.events", "topic.grants", "topic.rejections", "topic.alerts", "topic.dead-letters")) {
      wanted.add(new NewTopic(cfg.get(t), partitions, replication));
    }
    List<String> created = new ArrayList<>();
    try (Admin admin = Admin.create(cfg.kafka())) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      for (NewTopic t : wanted) {
        if (existing.contains(t.name())) {
          continue;
        }
        try {
          admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
          created.add(t.name());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
    return created;
  }
}
