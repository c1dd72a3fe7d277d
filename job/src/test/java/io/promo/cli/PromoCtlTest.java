package io.promo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.json.CommandCodec;
import io.promo.json.Json;
import io.promo.model.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** promoctl without a broker: help, usage errors, local validation, command building, formatting. */
class PromoCtlTest {

  @Test
  void everyCommandAndSubcommandHasHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(PromoCtl.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThanOrEqualTo(18);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Cli.Result r = Cli.run(args.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: promoctl");
    }
  }

  private static void collect(CommandLine cl, List<String> prefix, List<List<String>> out) {
    out.add(prefix);
    cl.getSubcommands().forEach((name, sub) -> {
      List<String> p = new ArrayList<>(prefix);
      p.add(name);
      collect(sub, p, out);
    });
  }

  @Test
  void theWholeTreeSharesOneWriterPerStream() {
    CommandLine cl = PromoCtl.commandLine();
    CommandLine pause = cl.getSubcommands().get("campaign").getSubcommands().get("pause");
    assertThat(pause.getOut()).isSameAs(cl.getOut());
    assertThat(pause.getErr()).isSameAs(cl.getErr());
  }

  @Test
  void globalOptionsAreDocumentedWithTheContractDefaults() {
    String help = Cli.run("--help").out();
    assertThat(help).contains("--bootstrap-servers", "PROMO_BOOTSTRAP", "promo.control", "campaign-status",
        "promo.grants", "promo.alerts", "--actor", "Exit codes:");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(Cli.run().code()).isEqualTo(Exit.USAGE);
    assertThat(Cli.run("campaign").code()).isEqualTo(Exit.USAGE);
    assertThat(Cli.run("campaign", "frobnicate").code()).isEqualTo(Exit.USAGE);
    assertThat(Cli.run("campaign", "create").code()).as("missing -f").isEqualTo(Exit.USAGE);
    assertThat(Cli.run("campaign", "list", "--bogus").code()).isEqualTo(Exit.USAGE);
    assertThat(Cli.run("campaign", "publish", "--timeout", "soon", "x").code()).isEqualTo(Exit.USAGE);
    assertThat(Cli.run("codes", "upload", "--series", "S", "--expires-at", "tomorrow", "f").code()).isEqualTo(Exit.USAGE);
    Cli.Result missing = Cli.run("--bootstrap-servers", "localhost:1", "campaign", "create", "-f", "/nope/x.json");
    assertThat(missing.code()).isEqualTo(Exit.USAGE);
    assertThat(missing.err()).contains("cannot read /nope/x.json");
    Cli.Result badId = Cli.run("--bootstrap-servers", "localhost:1", "campaign", "pause", "not an id");
    assertThat(badId.code()).isEqualTo(Exit.USAGE);
    assertThat(Cli.run("codes", "upload", "--series", "S", "--chunk", "0", "f").code()).isEqualTo(Exit.USAGE);
  }

  @Test
  void invalidCampaignListsEveryErrorWithoutContactingKafka(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"id\":\"bad id!\",\"qualification\":{\"kind\":\"LIVE\",\"trigger\":{\"on\":{\"event\":\"x\","
        + "\"where\":[{\"prop\":\"a\",\"op\":\"almost\",\"value\":1}]}}},\"reward\":{\"type\":\"WALLET_POINTS\"},"
        + "\"colour\":\"red\"}");
    // An unreachable broker: validation happens before any Kafka call.
    Cli.Result r = Cli.run("--bootstrap-servers", "localhost:1", "campaign", "create", "-f", f.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(Exit.REJECTED);
    assertThat(r.err()).contains("is not a valid campaign (4 errors)")
        .contains("campaign.colour is not a campaign field")
        .contains("campaign.id must match")
        .contains("op 'almost' is not one of")
        .contains("reward needs either points, or percent");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unsupportedFeaturesAreRefusedLocally(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("past.json");
    Files.writeString(f, "{\"id\":\"p\",\"qualification\":{\"kind\":\"PAST_BEHAVIOR\"},"
        + "\"segment\":{\"did\":{\"event\":\"order\"},\"inLast\":\"P30D\"},\"reward\":{\"type\":\"WALLET_POINTS\",\"points\":5}}");
    Cli.Result r = Cli.run("--bootstrap-servers", "localhost:1", "campaign", "update", "-f", f.toString());
    assertThat(r.code()).isEqualTo(Exit.REJECTED);
    assertThat(r.err()).contains("not supported by this release yet: qualification.kind PAST_BEHAVIOR")
        .contains("not supported by this release yet: segment.did");
  }

  @Test
  void malformedJsonIsInvalid(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("broken.json");
    Files.writeString(f, "{\"id\": \"x\",");
    Cli.Result r = Cli.run("--bootstrap-servers", "localhost:1", "campaign", "create", "-f", f.toString());
    assertThat(r.code()).isEqualTo(Exit.REJECTED);
    assertThat(r.err()).contains("is not valid JSON");
    Files.writeString(f, "[1,2]");
    assertThat(Cli.run("campaign", "create", "-f", f.toString()).err()).contains("must hold one campaign JSON object");
  }

  @Test
  void badUploadFilesAreRejectedBeforeSending(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("codes.csv");
    Files.writeString(f, "voucher,partner\nA,b\n");
    Cli.Result r = Cli.run("--bootstrap-servers", "localhost:1", "codes", "upload", "--series", "S", f.toString());
    assertThat(r.code()).isEqualTo(Exit.REJECTED);
    assertThat(r.err()).contains("nothing uploaded").contains("has no 'code' column");
    Path users = dir.resolve("users.txt");
    Files.writeString(users, "u1\n" + "u".repeat(300) + "\n");
    Cli.Result l = Cli.run("--bootstrap-servers", "localhost:1", "list", "add", "--list", "vip", users.toString());
    assertThat(l.code()).isEqualTo(Exit.REJECTED);
    assertThat(l.err()).contains("line 2: longer than 256 characters");
  }

  @Test
  void commandsAreValidContractCommands() throws Exception {
    JsonNode campaign = Json.tree(Files.readString(ExamplesTest.EXAMPLES.resolve("cart-abandonment.json")));
    check(ControlCommands.upsert("alice", "cart-abandon-10", campaign), Command.UPSERT, "cart-abandon-10");
    check(ControlCommands.lifecycle(Command.PAUSE, "alice", "c1"), Command.PAUSE, "c1");
    ControlCommands.Built codes = ControlCommands.codesUpload("alice", "CART10", "p", 1767225599000L, List.of("A", "B"));
    Command c = check(codes, Command.CODES_UPLOAD, "CART10");
    assertThat(c.codes()).containsExactly("A", "B");
    assertThat(c.partner()).isEqualTo("p");
    assertThat(c.expiresAt()).isEqualTo(1767225599000L);
    Command l = check(ControlCommands.listChange(Command.LIST_REMOVE, "alice", "vip", List.of("u1")), Command.LIST_REMOVE, "vip");
    assertThat(l.userIds()).containsExactly("u1");
    assertThat(ControlCommands.lifecycle(Command.STOP, "a", "c").commandId())
        .isNotEqualTo(ControlCommands.lifecycle(Command.STOP, "a", "c").commandId());
    assertThatThrownBy(() -> ControlCommands.upsert("a", "x", Json.tree("{\"id\":\"x\"}")))
        .isInstanceOf(CliException.class).hasMessageContaining("campaign.upsert is not valid");
  }

  private static Command check(ControlCommands.Built b, String type, String key) {
    assertThat(b.key()).isEqualTo(key);
    Command c = CommandCodec.parse("t", 0, 0, 0, b.record().value().getBytes(StandardCharsets.UTF_8)).command();
    assertThat(c.errors()).isEmpty();
    assertThat(c.type()).isEqualTo(type);
    assertThat(c.commandId()).isEqualTo(b.commandId());
    assertThat(c.actor()).isEqualTo("alice");
    return c;
  }

  @Test
  void rejectionMessagesSplitIntoErrors() {
    assertThat(CampaignCommand.rejectionErrors("campaign.pause 42 rejected: campaign c1 is DRAFT; not allowed"))
        .containsExactly("campaign c1 is DRAFT", "not allowed");
    assertThat(CampaignCommand.rejectionErrors("something else")).containsExactly("something else");
  }

  @Test
  void grantLines() throws Exception {
    JsonNode code = Json.tree("{\"grantId\":\"7c1e\",\"campaignId\":\"cart-abandon-10\",\"campaignVersion\":3,"
        + "\"userId\":\"u-42\",\"reward\":{\"type\":\"BULK_COUPON_CODES\",\"series\":\"CART10\",\"code\":\"CART10-7F3K\","
        + "\"expiresAt\":1764929700000},\"trigger\":{\"eventId\":\"e-9f1\",\"ts\":1764324900000},"
        + "\"qualifiedAt\":1764326700000,\"deliverAt\":1764326700000,\"issuedAt\":1764326700412}");
    assertThat(GrantsCommand.line(code)).isEqualTo("2025-11-28T10:45:00Z  user u-42  campaign cart-abandon-10 v3  "
        + "code CART10-7F3K (series CART10) expires 2025-12-05T10:15:00Z  grant 7c1e");
    JsonNode points = Json.tree("{\"grantId\":\"g2\",\"campaignId\":\"first-upi-bonus\",\"campaignVersion\":1,"
        + "\"userId\":\"u-7\",\"reward\":{\"type\":\"WALLET_POINTS\",\"points\":50},\"deliverAt\":1764326700000}");
    assertThat(GrantsCommand.line(points)).isEqualTo(
        "2025-11-28T10:45:00Z  user u-7  campaign first-upi-bonus v1  50 points  grant g2");
    JsonNode voucher = Json.tree("{\"grantId\":\"g3\",\"campaignId\":\"v\",\"userId\":\"u\",\"reward\":{\"type\":"
        + "\"PARTNER_VOUCHER\",\"code\":\"CNX-1\",\"partner\":\"cineplex\",\"series\":\"M\"},\"issuedAt\":1764326700000}");
    assertThat(GrantsCommand.line(voucher)).isEqualTo(
        "2025-11-28T10:45:00Z  user u  campaign v  code CNX-1 (partner cineplex)  grant g3");
  }

  @Test
  void durations() {
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("PT45S")).isEqualTo(Duration.ofSeconds(45));
    assertThat(Durations.parse("pt1m")).isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> Durations.parse("0s")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("not a duration");
    assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
  }

  @Test
  void expiresAtAcceptsIsoAndEpochMillis() {
    CodesCommand.InstantConverter c = new CodesCommand.InstantConverter();
    assertThat(c.convert("2026-12-31T23:59:59Z")).isEqualTo(1798761599000L);
    assertThat(c.convert("1798761599000")).isEqualTo(1798761599000L);
    assertThatThrownBy(() -> c.convert("2026-12-31")).isInstanceOf(CommandLine.TypeConversionException.class);
  }
}
