package io.promo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code promoctl grants tail}: follow the grants topic. */
@Command(name = "grants", mixinStandardHelpOptions = true, description = "Follow the grants the job writes.",
    subcommands = GrantsCommand.Tail.class)
final class GrantsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: tail");
  }

  @Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
          "Print grants as they are committed.",
          "A read_committed consumer (so exactly the grants that count), one line per grant: time issued, "
              + "user, campaign and version, reward (points or code), grantId. Runs until Ctrl-C, --max or "
              + "--timeout. It joins no consumer group and commits nothing."})
  static final class Tail extends Leaf implements Callable<Integer> {
    @Option(names = "--campaign", paramLabel = "ID", description = "Only the grants of this campaign.")
    String campaign;

    @Option(names = "--from-beginning", description = "Start at the oldest grant still in the topic (default: only new ones).")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after printing N grants.")
    Long max;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
        description = "Stop after this long (default: never).")
    Duration timeout;

    @Option(names = "--json", description = "Print each grant's JSON as it is on the topic, one per line.")
    boolean json;

    @Override
    public Integer call() {
      if (max != null && max < 1) {
        throw CliException.usage("--max must be at least 1");
      }
      PromoCtl r = root();
      KafkaAccess kafka = r.reachableKafka();
      List<TopicPartition> tps = kafka.requireTopic(r.grantsTopic, "grants");
      KafkaConsumer<String, String> consumer = kafka.consumer();
      consumer.assign(tps);
      if (fromBeginning) {
        consumer.seekToBeginning(tps);
      } else {
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position); // fix the start now, not at the first poll
      }
      err().println("following " + r.grantsTopic + (fromBeginning ? " from the beginning" : " from now on")
          + (campaign == null ? "" : ", campaign " + campaign) + " (Ctrl-C to stop)");
      err().flush();

      AtomicBoolean stopping = new AtomicBoolean();
      CountDownLatch finished = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        stopping.set(true);
        consumer.wakeup();
        try {
          finished.await(3, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }, "promoctl-tail-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      long printed = 0;
      long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
      try {
        while (!stopping.get() && (max == null || printed < max) && System.nanoTime() < deadline) {
          long waitMs = Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000));
          for (ConsumerRecord<String, String> rec : consumer.poll(Duration.ofMillis(waitMs))) {
            JsonNode g = rec.value() == null ? null : KafkaAccess.parseObject(rec.value());
            if (g == null || (campaign != null && !campaign.equals(g.path("campaignId").asText(null)))) {
              continue;
            }
            out().println(json ? g.toString() : line(g));
            out().flush();
            if (max != null && ++printed >= max) {
              break;
            }
          }
        }
      } catch (WakeupException e) {
        // Ctrl-C
      } finally {
        finished.countDown();
        if (!stopping.get()) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException ignored) {
            // the JVM is already shutting down
          }
        }
      }
      return Exit.OK;
    }
  }

  /** One readable line per grant: time, user, campaign (vN), reward, grantId. */
  static String line(JsonNode g) {
    long at = g.path("issuedAt").asLong(0);
    if (at <= 0) {
      at = g.path("deliverAt").asLong(g.path("qualifiedAt").asLong(0));
    }
    StringBuilder sb = new StringBuilder();
    sb.append(at > 0 ? Format.time(at) : "-").append("  ");
    sb.append("user ").append(g.path("userId").asText("?")).append("  ");
    sb.append("campaign ").append(g.path("campaignId").asText("?"));
    if (g.hasNonNull("campaignVersion")) {
      sb.append(" v").append(g.get("campaignVersion").asInt());
    }
    sb.append("  ").append(reward(g.path("reward"))).append("  ");
    sb.append("grant ").append(g.path("grantId").asText("?"));
    return sb.toString();
  }

  static String reward(JsonNode r) {
    if (r.hasNonNull("points")) {
      return r.get("points").asLong() + " points";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("code ").append(r.path("code").asText("?"));
    if (r.hasNonNull("partner")) {
      sb.append(" (partner ").append(r.get("partner").asText()).append(')');
    } else if (r.hasNonNull("series")) {
      sb.append(" (series ").append(r.get("series").asText()).append(')');
    }
    if (r.hasNonNull("expiresAt")) {
      sb.append(" expires ").append(Format.time(r.get("expiresAt").asLong()));
    }
    return sb.toString();
  }
}
