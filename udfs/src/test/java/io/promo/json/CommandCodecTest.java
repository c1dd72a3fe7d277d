package io.promo.json;

import static io.promo.testing.Fixtures.campaign;
import static io.promo.testing.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Command;
import io.promo.testing.Fixtures.CampaignJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandCodecTest {
  private static final long RECORD_TS = 1_700_000_000_000L;
  private static final String TOPIC = "promo.control";

  private static CommandCodec.Result read(String singleQuoted) {
    return CommandCodec.parse(TOPIC, 3, 41, RECORD_TS, utf8(singleQuoted));
  }

  private static Command command(String singleQuoted) {
    CommandCodec.Result r = read(singleQuoted);
    assertThat(r.unreadable()).isFalse();
    return r.command();
  }

  private static Command expected(String type, String commandId, String actor, long at, String campaignId,
      String campaignJson, String series, String partner, List<String> codes, Long expiresAt, String list,
      List<String> userIds, List<String> errors) {
    return new Command(type, commandId, actor, at, campaignId, campaignJson, series, partner, codes, expiresAt, list,
        userIds, errors, TOPIC, 3, 41, null);
  }

  @Test
  void upsertCarriesTheCampaignAsCanonicalJson() {
    CampaignJson c = campaign("cart-10");
    Command cmd = CommandCodec.parse(TOPIC, 3, 41, RECORD_TS,
        ("{\"type\": \"campaign.upsert\", \"commandId\": \"c-1\", \"actor\": \"alice\", \"campaign\": " + c.text() + "}")
            .getBytes(StandardCharsets.UTF_8)).command();

    assertThat(cmd).isEqualTo(expected(Command.UPSERT, "c-1", "alice", RECORD_TS, "cart-10", c.text(), null, null,
        List.of(), null, null, List.of(), List.of()));
    assertThat(cmd.valid()).isTrue();
    assertThat(cmd.isCampaignCommand()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"campaign.publish", "campaign.pause", "campaign.resume", "campaign.stop", "campaign.archive"})
  void lifecycleCommandsNameTheirCampaign(String type) {
    assertThat(command("{'type': '" + type + "', 'commandId': 'c-2', 'campaignId': 'cart-10'}"))
        .isEqualTo(expected(type, "c-2", null, RECORD_TS, "cart-10", null, null, null, List.of(), null, null,
            List.of(), List.of()));
  }

  @Test
  void atIsEpochMillisOrIsoAndOverridesTheRecordTimestamp() {
    assertThat(command("{'type': 'campaign.stop', 'commandId': 'c', 'campaignId': 'x', 'at': 1764324900000}").at())
        .isEqualTo(1764324900000L);
    assertThat(command("{'type': 'campaign.stop', 'commandId': 'c', 'campaignId': 'x', 'at': '2025-11-28T10:15:00Z'}")
        .at()).isEqualTo(1764324900000L);
    assertThat(command("{'type': 'campaign.stop', 'commandId': 'c', 'campaignId': 'x', 'at': null}").at())
        .isEqualTo(RECORD_TS);
  }

  @Test
  void codesUploadDropsRepeatsWithinTheUpload() {
    assertThat(command("{'type': 'codes.upload', 'commandId': 'c-3', 'actor': 'ops', 'series': 'CART10',"
            + " 'partner': 'acme', 'codes': ['A', 'B', 'A'], 'expiresAt': '2026-12-31T00:00:00Z'}"))
        .isEqualTo(expected(Command.CODES_UPLOAD, "c-3", "ops", RECORD_TS, null, null, "CART10", "acme",
            List.of("A", "B"), 1798675200000L, null, List.of(), List.of()));
  }

  @Test
  void listCommands() {
    assertThat(command("{'type': 'list.add', 'commandId': 'c-4', 'list': 'vip', 'userIds': ['u1', 'u2']}"))
        .isEqualTo(expected(Command.LIST_ADD, "c-4", null, RECORD_TS, null, null, null, null, List.of(), null, "vip",
            List.of("u1", "u2"), List.of()));
    Command remove = command("{'type': 'list.remove', 'commandId': 'c-5', 'list': 'vip', 'userIds': ['u1']}");
    assertThat(remove.userIds()).containsExactly("u1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "nothing | {} | type is missing; commandId is missing",
        "wrong types | {'type': 1, 'commandId': '', 'actor': 5}"
            + " | type must be a non-empty string; commandId must be a non-empty string; actor must be a non-empty string",
        "bad at | {'type': 'campaign.stop', 'commandId': 'c', 'campaignId': 'x', 'at': 'soon'}"
            + " | at 'soon' is not an ISO-8601 instant",
        "boolean at | {'type': 'campaign.stop', 'commandId': 'c', 'campaignId': 'x', 'at': true}"
            + " | at must be epoch milliseconds or an ISO-8601 instant",
        "unknown type | {'type': 'campaign.delete', 'commandId': 'c'}"
            + " | type 'campaign.delete' is not a command (campaign.upsert, campaign.publish, campaign.pause,"
            + " campaign.resume, campaign.stop, campaign.archive, codes.upload, list.add, list.remove)",
        "publish without campaign | {'type': 'campaign.publish', 'commandId': 'c'} | campaignId is missing",
        "upsert without campaign | {'type': 'campaign.upsert', 'commandId': 'c'} | campaign must be a JSON object",
        "upsert of a bad campaign | {'type': 'campaign.upsert', 'commandId': 'c', 'campaign': {'id': 'bad id!',"
            + " 'qualification': {'kind': 'LIVE', 'trigger': {'on': {'event': 'buy'}}}, 'reward': {'type': 'X'}}}"
            + " | campaign.id must match [A-Za-z0-9._-]{1,64};"
            + " reward.type must be WALLET_POINTS, SINGLE_CODE_COUPON, BULK_COUPON_CODES or PARTNER_VOUCHER, not 'X'",
        "upload without anything | {'type': 'codes.upload', 'commandId': 'c'}"
            + " | series is missing; codes must be a non-empty array of strings",
        "upload with bad fields | {'type': 'codes.upload', 'commandId': 'c', 'series': 'S', 'partner': '',"
            + " 'codes': ['A', 7], 'expiresAt': 'never'}"
            + " | partner must be a non-empty string; codes must hold only strings of 1 to 256 characters;"
            + " expiresAt 'never' is not an ISO-8601 instant",
        "upload of empty codes | {'type': 'codes.upload', 'commandId': 'c', 'series': 'S', 'codes': []}"
            + " | codes must be a non-empty array of strings",
        "list without anything | {'type': 'list.remove', 'commandId': 'c'}"
            + " | list is missing; userIds must be a non-empty array of strings",
        "list with an empty user | {'type': 'list.add', 'commandId': 'c', 'list': 'vip', 'userIds': ['u1', '']}"
            + " | userIds must hold only strings of 1 to 256 characters",
      })
  void everyErrorIsListed(String why, String input, String errors) {
    Command c = command(input);
    assertThat(c.valid()).isFalse();
    assertThat(String.join("; ", c.errors())).isEqualTo(errors);
  }

  @Test
  void anUploadOfMoreThan100000CodesMustBeChunked() {
    StringBuilder codes = new StringBuilder();
    for (int i = 0; i <= CommandCodec.MAX_CODES_PER_UPLOAD; i++) {
      codes.append(i == 0 ? "" : ",").append("\"C").append(i).append('"');
    }
    Command c = CommandCodec.parse(TOPIC, 0, 0, RECORD_TS,
        ("{\"type\": \"codes.upload\", \"commandId\": \"c\", \"series\": \"S\", \"codes\": [" + codes + "]}")
            .getBytes(StandardCharsets.UTF_8)).command();
    assertThat(c.errors()).containsExactly("codes: at most 100000 codes per command; split the upload into chunks");
  }

  @Test
  void unreadableRecordsAreMarkedSoAndKeepTheirPayload() {
    assertUnreadable("not json".getBytes(StandardCharsets.UTF_8), "not json");
    assertUnreadable("[1]".getBytes(StandardCharsets.UTF_8), "[1]");
    assertUnreadable(null, "");
    assertUnreadable(new byte[] {(byte) 0xff, (byte) 0xfe}, "//4=");
  }

  private static void assertUnreadable(byte[] value, String raw) {
    CommandCodec.Result r = CommandCodec.parse(TOPIC, 3, 41, RECORD_TS, value);
    assertThat(r.unreadable()).isTrue();
    assertThat(r.command()).isEqualTo(new Command(null, null, null, RECORD_TS, null, null, null, null, List.of(), null,
        null, List.of(), List.of("the command is not a JSON object"), TOPIC, 3, 41, raw));
  }
}
