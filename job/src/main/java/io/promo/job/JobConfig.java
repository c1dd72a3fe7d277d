package io.promo.job;

import io.promo.time.Times;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Every option of the job, with its default, in one place (docs/configuration.md lists them).
 * Options come as {@code --key value} pairs; keys starting with {@code kafka.} are passed to
 * every Kafka client without the prefix (e.g. {@code --kafka.security.protocol SASL_SSL}).
 */
public final class JobConfig {
  /** key → [default, description]. The order is the documentation's. */
  public static final Map<String, String[]> OPTIONS = new LinkedHashMap<>();

  static {
    opt("bootstrap.servers", "localhost:9092", "Kafka bootstrap servers.");
    opt("topic.events", "promo.events", "Input events (key userId).");
    opt("topic.control", "promo.control", "Command log: infinite retention, not compacted, read from earliest.");
    opt("topic.grants", "promo.grants", "Grants, written exactly-once (transactions).");
    opt("topic.rejections", "promo.rejections", "Qualifications not granted, with the reason (exactly-once).");
    opt("topic.campaign-status", "promo.campaign-status", "Compacted latest status and counters per campaign.");
    opt("topic.alerts", "promo.alerts", "Inventory, limit and command alerts.");
    opt("topic.dead-letters", "promo.dead-letters", "Input records the job could not use, with why.");
    opt("topics.create", "true", "Create missing topics at start (control: infinite retention; status: compacted).");
    opt("topics.partitions", "4", "Partitions of topics the job creates (the control topic always gets 1).");
    opt("topics.replication", "1", "Replication factor of topics the job creates.");
    opt("group.id", "promo-job", "Consumer group of the events source (offsets are committed on checkpoints).");
    opt("parallelism", "", "Default parallelism of the job's operators (empty: the cluster's or submitter's default; local runs use 2).");
    opt("max.parallelism", "128", "Maximum parallelism (key groups); fixed for the life of the job's state.");
    opt("checkpoint.interval", "PT3S", "Checkpoint interval; grants become visible to read_committed consumers on checkpoints.");
    opt("checkpoint.dir", "", "Where checkpoints go (a file:// or s3:// URI); empty: the cluster's execution.checkpointing.dir, or file:///tmp/promo-checkpoints locally.");
    opt("out-of-orderness", "PT2S", "How late (in event time) an event may arrive and still be judged in order.");
    opt("quiet-after", "PT2S", "After this long with no events, a partition's event time follows the wall clock, once its reader is found at the partition's end (no backlog).");
    opt("idle-timeout", "PT10S", "A partition with no event for this long after the job (re)starts is ignored by event time until its first event.");
    opt("future-bound", "PT5M", "Events dated further ahead of the wall clock go to dead letters (FUTURE).");
    opt("watermark.interval", "PT0.05S", "How often sources advance event time; events wait for it (latency: out-of-orderness + up to this).");
    opt("buffer.timeout", "PT0.01S", "Longest time a record waits in a network buffer between operators (Flink's default is 100 ms; grants cross three shuffles).");
    opt("dedupe-horizon", "PT24H", "A repeated eventId of a user within this horizon is applied once.");
    opt("state.retention", "", "Forget a user not seen for this long (e.g. P400D), with their limits and first-time flags; empty: keep users for ever.");
    opt("history-horizon", "P180D", "How long per-user history is kept for segments (reserved for history segments).");
    opt("status.interval", "PT2S", "How often moving counters are published to the status topic.");
    opt("control.catch-up.max", "PT60S", "Longest wait at start-up for the control log to be read before events are judged.");
    opt("transaction.timeout", "PT10M", "Kafka transaction timeout of the exactly-once sinks; must not exceed the broker's transaction.max.timeout.ms (15 min by default).");
    opt("transactional.id.prefix", "promo-job", "Prefix of the sinks' transactional ids; unique per job on a cluster.");
    opt("restore", "", "Resume from this savepoint or retained checkpoint (its directory); empty: start with fresh state.");
    opt("local", "false", "Run in a local Flink with the web UI (scripts/run-local, scripts/demo).");
    opt("rest.port", "8081", "Port of the local web UI (with --local true).");
    opt("state.timers", "HEAP", "Where RocksDB keeps timers: HEAP (1.2–1.7x the throughput in docs/BENCHMARKS.md; about 100 bytes of heap per user with state) or ROCKSDB (for very many users per TaskManager). Fixed for the life of the state.");
    opt("state.dir", "", "Local RocksDB working directory (default: the TaskManager's temp dir).");
  }

  private static void opt(String key, String def, String doc) {
    OPTIONS.put(key, new String[] {def, doc});
  }

  private final Map<String, String> values;

  private JobConfig(Map<String, String> values) {
    this.values = values;
  }

  public static JobConfig defaults() {
    return fromArgs(new String[0]);
  }

  /** Parses {@code --key value} pairs; unknown keys (other than kafka.*) are an error. */
  public static JobConfig fromArgs(String[] args) {
    Map<String, String> v = new LinkedHashMap<>();
    OPTIONS.forEach((k, d) -> v.put(k, d[0]));
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        errors.add("expected --key value, got '" + a + "'");
        continue;
      }
      String key = a.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        errors.add("--" + key + " needs a value");
        continue;
      }
      if (!OPTIONS.containsKey(key) && !key.startsWith("kafka.")) {
        errors.add("unknown option --" + key + " (see docs/configuration.md)");
        continue;
      }
      v.put(key, value);
    }
    JobConfig c = new JobConfig(v);
    if (!v.get("state.retention").isEmpty()) {
      try {
        c.duration("state.retention");
      } catch (IllegalArgumentException e) {
        errors.add("--state.retention: " + e.getMessage());
      }
    }
    if (!v.get("state.timers").equals("HEAP") && !v.get("state.timers").equals("ROCKSDB")) {
      errors.add("--state.timers must be HEAP or ROCKSDB");
    }
    if (!v.get("parallelism").isEmpty()) {
      try {
        c.integer("parallelism");
      } catch (IllegalArgumentException e) {
        errors.add("--parallelism: " + e.getMessage());
      }
    }
    for (String key : OPTIONS.keySet()) {
      String def = OPTIONS.get(key)[0];
      try {
        if (def.startsWith("P")) {
          c.duration(key);
        } else if (def.matches("\\d+")) {
          c.integer(key);
        }
      } catch (IllegalArgumentException e) {
        errors.add("--" + key + ": " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", errors));
    }
    return c;
  }

  public JobConfig with(String key, String value) {
    Map<String, String> v = new LinkedHashMap<>(values);
    v.put(key, value);
    return new JobConfig(v);
  }

  public String get(String key) {
    return values.get(key);
  }

  public boolean flag(String key) {
    return Boolean.parseBoolean(values.get(key));
  }

  public int integer(String key) {
    try {
      return Integer.parseInt(values.get(key).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + values.get(key) + "' is not a whole number");
    }
  }

  public Duration duration(String key) {
    return Duration.ofMillis(Times.duration(values.get(key)));
  }

  /** The pass-through Kafka client properties (kafka.* without the prefix) plus bootstrap servers. */
  public Properties kafka() {
    Properties p = new Properties();
    values.forEach((k, v) -> {
      if (k.startsWith("kafka.")) {
        p.setProperty(k.substring("kafka.".length()), v);
      }
    });
    p.setProperty("bootstrap.servers", get("bootstrap.servers"));
    return p;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
