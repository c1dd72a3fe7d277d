package io.promo.job.it;

import static io.promo.job.it.Campaigns.live;
import static io.promo.job.it.Campaigns.points;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Guarantees 1 and 2 across a rescale: the job runs at parallelism 2, stops with a savepoint in
 * the middle of the input, and resumes from it at parallelism 3. Each grant appears once, none is
 * lost, and the campaign budget counts across the two runs.
 */
class RescaleITCase {
  static final int EVENTS = 80;
  static final int MAX_GRANTS = 60;

  @Test
  void aSavepointRestoredAtAnotherParallelismKeepsGrantsAndBudgets() throws Exception {
    PromoTestJob first = new PromoTestJob();
    first.upsert(live("rescale", "{\"on\":{\"event\":\"buy\"}}", points(1),
        "{\"perUser\":{\"max\":1000},\"perCampaign\":{\"maxGrants\":" + MAX_GRANTS + "}}", null), Campaigns.T0);
    first.start();
    long ts = System.currentTimeMillis();
    for (int i = 0; i < EVENTS / 2; i++) {
      first.event("b-" + i, "u" + (i % 7), "buy", ts + i, null);
    }
    assertThat(first.read("grants", Duration.ofSeconds(60), l -> l.size() >= EVENTS / 2)).hasSize(EVENTS / 2);
    String savepoint = first.stopWithSavepoint();

    try (PromoTestJob second = first.sameJob("parallelism", "3")) {
      second.startFrom(savepoint);
      long ts2 = Math.max(System.currentTimeMillis(), ts + EVENTS);
      for (int i = EVENTS / 2; i < EVENTS; i++) {
        second.event("b-" + i, "u" + (i % 7), "buy", ts2 + i, null);
      }
      List<JsonNode> grants = second.readAtLeast("grants", MAX_GRANTS, Duration.ofSeconds(60));
      List<JsonNode> rejections = second.readAtLeast("rejections", EVENTS - MAX_GRANTS, Duration.ofSeconds(30));

      assertThat(second.read("dead-letters", Duration.ofSeconds(3), l -> false)).as("no event is lost").isEmpty();
      assertThat(grants.stream().map(g -> g.get("grantId").asText()).distinct()).hasSize(MAX_GRANTS);
      assertThat(grants).hasSize(MAX_GRANTS);
      Set<String> granted = grants.stream().map(g -> g.get("trigger").get("eventId").asText()).collect(Collectors.toSet());
      assertThat(granted).isEqualTo(IntStream.range(0, MAX_GRANTS).mapToObj(i -> "b-" + i).collect(Collectors.toSet()));
      assertThat(rejections).hasSize(EVENTS - MAX_GRANTS)
          .allSatisfy(r -> assertThat(r.get("reason").asText()).isEqualTo("CAMPAIGN_GRANT_LIMIT"));
    } finally {
      first.close();
    }
  }
}
