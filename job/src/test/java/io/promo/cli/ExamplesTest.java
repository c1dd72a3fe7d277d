package io.promo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.json.Json;
import io.promo.lang.Campaign;
import io.promo.lang.CampaignParser;
import io.promo.lang.Segment;
import io.promo.lang.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file in examples/ is usable as it is: campaigns parse, code and list files read. */
class ExamplesTest {
  static final Path EXAMPLES = locate();

  private static Path locate() {
    for (Path p : List.of(Path.of("examples"), Path.of("../examples"))) {
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new IllegalStateException("examples/ not found from " + Path.of("").toAbsolutePath());
  }

  static List<Path> campaignFiles() throws IOException {
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  static List<Campaign> campaigns() throws IOException {
    List<Campaign> out = new ArrayList<>();
    for (Path f : campaignFiles()) {
      CampaignParser.Result r = CampaignParser.parse(Json.tree(Files.readString(f)));
      assertThat(r.errors()).as(f.toString()).isEmpty();
      out.add(r.campaign());
    }
    return out;
  }

  @Test
  void everyCampaignExampleParses() throws IOException {
    assertThat(campaignFiles()).hasSizeGreaterThanOrEqualTo(6);
    List<Campaign> all = campaigns();
    assertThat(all).extracting(Campaign::id).doesNotHaveDuplicates();
    for (Campaign c : all) {
      assertThat(c.kind()).as(c.id()).isEqualTo(Campaign.LIVE);
      assertThat(c.name()).as(c.id()).isNotBlank();
    }
  }

  @Test
  void everyExampleIsAValidUpsertCommand() throws IOException {
    for (Path f : campaignFiles()) {
      JsonNode campaign = Json.tree(Files.readString(f));
      ControlCommands.Built b = ControlCommands.upsert("examples-test", campaign.get("id").asText(), campaign);
      assertThat(b.key()).isEqualTo(campaign.get("id").asText());
    }
  }

  @Test
  void examplesCoverTheUseCases() throws IOException {
    Set<Class<?>> triggers = new HashSet<>();
    Set<String> rewards = new HashSet<>();
    boolean hourCondition = false;
    boolean percentWithCap = false;
    for (Campaign c : campaigns()) {
      triggers.add(c.trigger().getClass());
      rewards.add(c.reward().type());
      hourCondition |= c.trigger().on().where().stream().anyMatch(w -> w.prop().equals("$hour"));
      percentWithCap |= c.reward().percent() > 0 && c.reward().maxPoints() > 0;
      assertThat(usesOnlyLiveSegments(c.segment())).as(c.id()).isTrue();
    }
    assertThat(triggers).contains(Trigger.ThenNot.class, Trigger.Inactive.class, Trigger.FirstTime.class,
        Trigger.AtLeast.class, Trigger.Sum.class, Trigger.On.class);
    assertThat(rewards).contains("WALLET_POINTS", "SINGLE_CODE_COUPON", "BULK_COUPON_CODES");
    assertThat(hourCondition).as("an off-peak $hour condition").isTrue();
    assertThat(percentWithCap).as("percent points with maxPoints").isTrue();
  }

  private static boolean usesOnlyLiveSegments(Segment s) {
    if (s == null) {
      return true;
    }
    if (s instanceof Segment.All a) {
      return a.of().stream().allMatch(ExamplesTest::usesOnlyLiveSegments);
    }
    if (s instanceof Segment.Any a) {
      return a.of().stream().allMatch(ExamplesTest::usesOnlyLiveSegments);
    }
    if (s instanceof Segment.Not n) {
      return usesOnlyLiveSegments(n.of());
    }
    return s instanceof Segment.Profile || s instanceof Segment.InList;
  }

  @Test
  void cartCodesFileHasAFewHundredDistinctCodes() {
    ItemFile.Items codes = ItemFile.read(EXAMPLES.resolve("codes-CART10.txt"), List.of("code"), 256);
    assertThat(codes.ok()).isTrue();
    assertThat(codes.items()).hasSizeBetween(200, 1000).allMatch(c -> c.startsWith("CART10-"));
    assertThat(codes.duplicates()).isZero();
  }

  @Test
  void otherUploadFilesRead() {
    assertThat(ItemFile.read(EXAMPLES.resolve("codes-MOVIES-Q4.csv"), List.of("code"), 256).items()).hasSize(50);
    assertThat(ItemFile.read(EXAMPLES.resolve("list-staff.txt"), List.of("userId"), 256).items()).hasSize(20);
  }
}
