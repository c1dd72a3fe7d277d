package io.promo.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/** One MiniCluster (one TaskManager, one slot) in this JVM for every run of a bench invocation. */
final class Cluster implements AutoCloseable {
  final MiniCluster mini;
  final Configuration conf;

  Cluster(Configuration conf) throws Exception {
    this.conf = conf;
    mini = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(conf)
        .setNumTaskManagers(1)
        .setNumSlotsPerTaskManager(1)
        .withRandomPorts()
        .build());
    mini.start();
  }

  JobID submit(StreamExecutionEnvironment env, String name) throws Exception {
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(name);
    return mini.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
  }

  JobStatus status(JobID job) throws Exception {
    return mini.getJobStatus(job).get(30, TimeUnit.SECONDS);
  }

  /** Waits for the job to end; cancels it after the timeout. Throws if it failed. */
  JobResult await(JobID job, Duration timeout) throws Exception {
    JobResult r;
    try {
      r = mini.requestJobResult(job).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      cancel(job);
      throw new IllegalStateException("run " + job + " took longer than " + timeout + "; cancelled");
    }
    if (r.getSerializedThrowable().isPresent()) {
      throw new IllegalStateException("run failed", r.getSerializedThrowable().get().deserializeError(getClass().getClassLoader()));
    }
    return r;
  }

  void cancel(JobID job) throws Exception {
    try {
      mini.cancelJob(job).get(60, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // already finished
    }
    try {
      mini.requestJobResult(job).get(60, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // cancelled
    }
  }

  /** A canonical savepoint (the live keys and values in Flink's own format): its path. */
  String savepoint(JobID job, String dir) throws Exception {
    // Tasks whose bounded input (the control feed) just ended decline while they close: try again.
    for (int attempt = 1; ; attempt++) {
      try {
        return mini.triggerSavepoint(job, dir, false, SavepointFormatType.CANONICAL).get(10, TimeUnit.MINUTES);
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt == 5) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }

  /** A full (non-incremental) native checkpoint: its id. */
  long fullCheckpoint(JobID job) throws Exception {
    return mini.triggerCheckpoint(job, CheckpointType.FULL).get(10, TimeUnit.MINUTES);
  }

  AccessExecutionGraph graph(JobID job) throws Exception {
    return mini.getExecutionGraph(job).get(60, TimeUnit.SECONDS);
  }

  /** State size of the vertex whose name contains {@code nameFragment} in the given checkpoint. */
  static long vertexStateSize(AccessExecutionGraph g, AbstractCheckpointStats stats, String nameFragment) {
    long total = 0;
    for (AccessExecutionJobVertex v : g.getVerticesTopologically()) {
      if (v.getName().contains(nameFragment)) {
        TaskStateStats t = stats.getTaskStateStats(v.getJobVertexId());
        if (t != null) {
          total += t.getStateSize();
        }
      }
    }
    return total;
  }

  @Override
  public void close() throws Exception {
    mini.close();
  }
}
