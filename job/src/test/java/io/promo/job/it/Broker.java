package io.promo.job.it;

import java.util.Properties;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Kafka broker (KRaft, in this JVM, random port) shared by all integration tests of a
 * test run; each test isolates itself with its own topic names.
 */
public final class Broker {
  private static KafkaClusterTestKit cluster;

  private Broker() {}

  public static synchronized String bootstrapServers() {
    if (cluster == null) {
      try {
        // At JVM exit the broker closes in a shutdown hook while other hooks delete its temporary
        // log directories; a broker that then sees its log directory vanish halts the JVM with a
        // non-zero code (Kafka's Exit.halt), which fails the surefire fork after every test has
        // passed. Nothing in a test may end the JVM: make Kafka's exit and halt no-ops.
        Exit.setExitProcedure((code, message) -> { });
        Exit.setHaltProcedure((code, message) -> { });
        KafkaClusterTestKit c = new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "4")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "4")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("auto.create.topics.enable", "false")
            .build();
        c.format();
        c.startup();
        c.waitForReadyBrokers();
        cluster = c;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            c.close();
          } catch (Exception ignored) {
            // the JVM is going away
          }
        }));
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the test Kafka broker", e);
      }
    }
    return cluster.bootstrapServers();
  }

  public static Properties clientProperties() {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrapServers());
    return p;
  }
}
