package io.promo.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobConfigTest {
  @Test
  void defaultsAndOverrides() {
    JobConfig c = JobConfig.fromArgs(new String[] {"--bootstrap.servers", "k:9093", "--out-of-orderness=PT5S"});
    assertThat(c.get("bootstrap.servers")).isEqualTo("k:9093");
    assertThat(c.duration("out-of-orderness")).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.duration("dedupe-horizon")).isEqualTo(Duration.ofHours(24));
    assertThat(c.get("topic.control")).isEqualTo("promo.control");
  }

  @Test
  void kafkaPropertiesPassThroughWithoutPrefix() {
    JobConfig c = JobConfig.fromArgs(new String[] {"--kafka.security.protocol", "SASL_SSL"});
    assertThat(c.kafka()).containsEntry("security.protocol", "SASL_SSL").containsEntry("bootstrap.servers", "localhost:9092");
  }

  @Test
  void everyMistakeIsReportedAtOnce() {
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--nope", "1", "--checkpoint.interval", "soon", "--partitions"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option --nope")
        .hasMessageContaining("--checkpoint.interval")
        .hasMessageContaining("--partitions needs a value");
  }

  @Test
  void everyOptionIsDocumentedWithItsDefault() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    JobConfig.OPTIONS.forEach((key, d) -> {
      String def = d[0].isEmpty() ? "(empty)" : "`" + d[0] + "`";
      assertThat(doc).as("docs/configuration.md row of %s", key).contains("| `" + key + "` | " + def + " |");
    });
  }
}
