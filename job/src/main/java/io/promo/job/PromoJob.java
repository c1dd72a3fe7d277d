package io.promo.job;

import io.promo.job.kafka.KafkaIo;
import io.promo.job.kafka.Topics;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: builds the config, the Kafka I/O and the environment, then the one workflow. */
public final class PromoJob {
  private static final Logger LOG = LoggerFactory.getLogger(PromoJob.class);

  private PromoJob() {}

  public static void main(String[] args) throws Exception {
    // Bad options throw: on a cluster main() runs inside the JobManager, where exiting would kill it.
    JobConfig cfg = JobConfig.fromArgs(args);
    if (cfg.flag("topics.create")) {
      List<String> created = Topics.ensure(cfg);
      if (!created.isEmpty()) {
        LOG.info("Created topics {}", created);
      }
    }
    StreamExecutionEnvironment env = environment(cfg);
    PromoWorkflow.define(env, KafkaIo.create(cfg), cfg);
    env.execute("promo-campaigns");
  }

  /** The execution environment with the job's settings (also used by the integration tests). */
  public static StreamExecutionEnvironment environment(JobConfig cfg) {
    Configuration conf = settings(cfg);
    StreamExecutionEnvironment env;
    if (cfg.flag("local")) {
      conf.set(RestOptions.PORT, cfg.integer("rest.port"));
      env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    } else {
      env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }
    if (!cfg.get("parallelism").isEmpty()) {
      env.setParallelism(cfg.integer("parallelism"));
    } else if (cfg.flag("local")) {
      env.setParallelism(2);
    }
    return env;
  }

  /** The Flink settings the job relies on; a cluster's own config.yaml may add to them. */
  public static Configuration settings(JobConfig cfg) {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    if (!cfg.get("checkpoint.dir").isEmpty()) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cfg.get("checkpoint.dir"));
    } else if (cfg.flag("local")) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "file:///tmp/promo-checkpoints");
    }
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, cfg.duration("checkpoint.interval"));
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.set(PipelineOptions.OBJECT_REUSE, true);
    conf.set(PipelineOptions.MAX_PARALLELISM, cfg.integer("max.parallelism"));
    conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, cfg.duration("watermark.interval"));
    conf.set(ExecutionOptions.BUFFER_TIMEOUT, cfg.duration("buffer.timeout"));
    conf.setString("state.backend.rocksdb.timer-service.factory", cfg.get("state.timers"));
    if (!cfg.get("restore").isEmpty()) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, cfg.get("restore"));
    }
    if (!cfg.get("state.dir").isEmpty()) {
      conf.setString("state.backend.rocksdb.localdir", cfg.get("state.dir"));
    }
    return conf;
  }
}
