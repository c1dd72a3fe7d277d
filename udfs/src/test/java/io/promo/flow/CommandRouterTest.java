package io.promo.flow;

import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Fixtures.campaign;
import static io.promo.testing.Fixtures.codesUpload;
import static io.promo.testing.Fixtures.lifecycle;
import static io.promo.testing.Fixtures.listChange;
import static io.promo.testing.Fixtures.upsert;
import static io.promo.testing.Harnesses.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.json.CommandCodec;
import io.promo.model.Alert;
import io.promo.model.Command;
import io.promo.model.DeadLetter;
import io.promo.model.Reasons;
import java.nio.charset.StandardCharsets;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class CommandRouterTest {

  @Test
  void routesByKindAndRejectsInvalidCommandsWithEveryError() throws Exception {
    try (OneInputStreamOperatorTestHarness<Command, Command> h =
        ProcessFunctionTestHarnesses.forProcessFunction(new CommandRouter())) {
      Command up = upsert("u-1", campaign("c1"), T0);
      Command publish = lifecycle("publish", "p-1", "c1", T0);
      Command codes = codesUpload("k-1", "S", null, T0, "A");
      Command list = listChange("add", "l-1", "vip", T0, "u1");
      Command bad = io.promo.testing.Fixtures.command(
          "{'type': 'codes.upload', 'commandId': 'k-2', 'series': 'S', 'at': 'soon'}", T0);
      Command unreadable = CommandCodec.parse("promo.control", 2, 7, T0, "oops".getBytes(StandardCharsets.UTF_8)).command();
      for (Command c : new Command[] {up, publish, codes, list, bad, unreadable}) {
        h.processElement(c, T0);
      }

      assertThat(drain(h)).containsExactly(up, publish);
      assertThat(drain(h, Tags.CODE_COMMANDS)).containsExactly(codes);
      assertThat(drain(h, Tags.LIST_COMMANDS)).containsExactly(list);
      assertThat(drain(h, Tags.ALERTS)).containsExactly(
          new Alert(Reasons.COMMAND_REJECTED, null, "S", "k-2",
              "codes.upload k-2 rejected: at 'soon' is not an ISO-8601 instant; codes must be a non-empty array of strings",
              T0),
          new Alert(Reasons.COMMAND_REJECTED, null, null, null, "command rejected: the command is not a JSON object", T0));
      assertThat(drain(h, Tags.DEAD_LETTERS)).containsExactly(
          new DeadLetter("promo.control", 2, 7, null, "the command is not a JSON object", "oops"));
    }
  }
}
