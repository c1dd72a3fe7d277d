package io.promo.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle on a live job: pause/resume/stop, drafts and publish, a scheduled window, edits
 * (versions), repeated commandIds, and commands that are invalid or not allowed.
 */
class LifecycleITCase {
  static PromoTestJob job;
  static List<JsonNode> grants;
  static List<JsonNode> rejections;
  static List<JsonNode> alerts;
  static List<JsonNode> deadLetters;
  static List<JsonNode> status;
  static String pauseId;
  static String resumeAfterStopId;
  static String badCampaignId;
  static String unknownTypeId;
  static long lastTs;

  static String campaign(String id, String extra) {
    return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"createdBy\":\"alice\",\"labels\":[\"it\"]" + extra + ","
        + "\"qualification\":{\"kind\":\"LIVE\",\"trigger\":{\"on\":{\"event\":\"tap\"}}},"
        + "\"reward\":{\"type\":\"WALLET_POINTS\",\"points\":1},\"limits\":{\"perUser\":{\"max\":100}}}";
  }

  /** A tap at the wall clock, after whatever was sent before (commands take effect at their time). */
  static void tap(String id) throws Exception {
    Thread.sleep(300);
    lastTs = Math.max(lastTs + 1, System.currentTimeMillis());
    job.event(id, "u-" + id, "tap", lastTs, null);
    Thread.sleep(300);
  }

  @BeforeAll
  static void run() throws Exception {
    job = new PromoTestJob().start();
    job.upsert(campaign("life", ""));
    tap("t1"); // granted
    pauseId = job.command("{\"type\":\"campaign.pause\",\"campaignId\":\"life\"}");
    tap("t2"); // NOT_RUNNING
    job.command("{\"type\":\"campaign.resume\",\"campaignId\":\"life\"}");
    tap("t3"); // granted
    // The same pause again (same commandId) is ignored: still running.
    job.command("{\"type\":\"campaign.pause\",\"campaignId\":\"life\",\"commandId\":\"" + pauseId + "\"}");
    tap("t4"); // granted
    job.upsert(campaign("life", "").replace("\"points\":1", "\"points\":7"));
    tap("t5"); // granted, version 2, 7 points
    job.command("{\"type\":\"campaign.stop\",\"campaignId\":\"life\"}");
    tap("t6"); // nothing at all
    resumeAfterStopId = job.command("{\"type\":\"campaign.resume\",\"campaignId\":\"life\"}");

    job.upsert(campaign("drafty", ",\"draft\":true").replace("tap", "swipe"));
    Thread.sleep(300);
    job.event("s1", "u-s1", "swipe", System.currentTimeMillis(), null); // draft: nothing
    Thread.sleep(300);
    job.command("{\"type\":\"campaign.publish\",\"campaignId\":\"drafty\"}");
    Thread.sleep(300);
    job.event("s2", "u-s2", "swipe", System.currentTimeMillis(), null); // granted

    long start = System.currentTimeMillis() + 3_000;
    job.upsert(campaign("window", ",\"schedule\":{\"start\":" + start + ",\"end\":" + (start + 3_000) + "}")
        .replace("tap", "poke"));
    job.event("p1", "u-p1", "poke", start - 1_500, null); // before the window
    job.event("p2", "u-p2", "poke", start + 1_000, null); // inside: granted
    job.event("p3", "u-p3", "poke", start + 3_000, null); // at the end: outside

    badCampaignId = job.command("{\"type\":\"campaign.upsert\",\"campaign\":{\"id\":\"bad id!\",\"qualification\":"
        + "{\"kind\":\"LIVE\",\"trigger\":{\"on\":{\"event\":\"x\",\"where\":[{\"prop\":\"a\",\"op\":\"like\",\"value\":1}]}}},"
        + "\"reward\":{\"type\":\"CASH\"}}}");
    unknownTypeId = job.command("{\"type\":\"campaign.explode\",\"campaignId\":\"life\"}");
    job.send("control", "junk", "this is not json".getBytes(StandardCharsets.UTF_8));

    grants = job.readAtLeast("grants", 6, Duration.ofSeconds(60));
    rejections = job.read("rejections", Duration.ofSeconds(10), l -> !l.isEmpty());
    alerts = job.read("alerts", Duration.ofSeconds(10), l -> l.size() >= 4);
    deadLetters = job.read("dead-letters", Duration.ofSeconds(10), l -> !l.isEmpty());
    status = job.read("campaign-status", Duration.ofSeconds(15), l -> l.stream().anyMatch(
        s -> s.get("id").asText().equals("window") && s.get("status").asText().equals("COMPLETED")));
  }

  @AfterAll
  static void stop() throws Exception {
    job.close();
  }

  static List<String> grantedTriggers() {
    return grants.stream().map(g -> g.get("trigger").get("eventId").asText()).sorted().collect(Collectors.toList());
  }

  @Test
  void onlyEventsWhileRunningAndInsideTheScheduleAreGranted() {
    assertThat(grantedTriggers()).containsExactly("p2", "s2", "t1", "t3", "t4", "t5");
  }

  @Test
  void pausedQualificationsAreRejectedNotQueued() {
    assertThat(rejections).singleElement().satisfies(r -> {
      assertThat(r.get("reason").asText()).isEqualTo("NOT_RUNNING");
      assertThat(r.get("trigger").get("eventId").asText()).isEqualTo("t2");
    });
  }

  @Test
  void anEditIsANewVersionAndAppliesFromItsTime() {
    JsonNode t5 = grants.stream().filter(g -> g.get("trigger").get("eventId").asText().equals("t5")).findFirst().orElseThrow();
    assertThat(t5.get("campaignVersion").asInt()).isEqualTo(2);
    assertThat(t5.get("reward").get("points").asLong()).isEqualTo(7);
    JsonNode t4 = grants.stream().filter(g -> g.get("trigger").get("eventId").asText().equals("t4")).findFirst().orElseThrow();
    assertThat(t4.get("campaignVersion").asInt()).isEqualTo(1);
  }

  @Test
  void commandsThatAreNotAllowedOrInvalidAreRejectedWithEveryReason() {
    assertThat(alerts).allSatisfy(a -> assertThat(a.get("type").asText()).isEqualTo("COMMAND_REJECTED"));
    assertThat(byCommand(resumeAfterStopId).get("message").asText())
        .contains("STOPPED").contains("resume is not allowed").contains("archive");
    assertThat(byCommand(badCampaignId).get("message").asText())
        .contains("campaign.id must match")
        .contains("op 'like' is not one of")
        .contains("reward.type must be");
    assertThat(byCommand(unknownTypeId).get("message").asText()).contains("type 'campaign.explode' is not a command");
    assertThat(alerts).anySatisfy(a -> assertThat(a.get("message").asText()).contains("not a JSON object"));
  }

  @Test
  void anUnreadableCommandIsAlsoADeadLetter() {
    assertThat(deadLetters).singleElement().satisfies(d -> {
      assertThat(d.get("topic").asText()).isEqualTo(job.cfg.get("topic.control"));
      assertThat(d.get("payload").asText()).isEqualTo("this is not json");
      assertThat(d.get("offset").asLong()).isGreaterThan(0);
    });
  }

  @Test
  void statusFollowsTheLifecycleWithCounters() {
    JsonNode life = latest("life");
    assertThat(life.get("status").asText()).isEqualTo("STOPPED");
    assertThat(life.get("version").asInt()).isEqualTo(2);
    assertThat(life.get("createdBy").asText()).isEqualTo("alice");
    assertThat(latest("window").get("status").asText()).isEqualTo("COMPLETED");
    assertThat(latest("drafty").get("status").asText()).isEqualTo("RUNNING");
  }

  @Test
  void countersReachTheStatusTopic() throws Exception {
    List<JsonNode> all = job.read("campaign-status", Duration.ofSeconds(20), l -> l.stream().anyMatch(
        s -> s.get("id").asText().equals("life") && s.path("stats").path("granted").asLong() == 4));
    JsonNode life = all.stream().filter(s -> s.get("id").asText().equals("life")).reduce((a, b) -> b).orElseThrow();
    assertThat(life.get("stats").get("granted").asLong()).isEqualTo(4);
    assertThat(life.get("stats").get("qualified").asLong()).isEqualTo(5);
    assertThat(life.get("stats").get("points").asLong()).isEqualTo(1 + 1 + 1 + 7);
    assertThat(life.get("stats").get("rejected").get("NOT_RUNNING").asLong()).isEqualTo(1);
  }

  static JsonNode byCommand(String commandId) {
    return alerts.stream().filter(a -> commandId.equals(a.path("commandId").asText())).findFirst().orElseThrow();
  }

  static JsonNode latest(String id) {
    return status.stream().filter(s -> s.get("id").asText().equals(id)).reduce((a, b) -> b).orElseThrow();
  }
}
