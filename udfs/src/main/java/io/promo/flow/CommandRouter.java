package io.promo.flow;

import io.promo.model.Alert;
import io.promo.model.Command;
import io.promo.model.DeadLetter;
import io.promo.model.Reasons;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rejects commands that are invalid as read (COMMAND_REJECTED, every error listed) and sends
 * the others on: campaign commands on the main output, code uploads and list changes to their
 * side outputs. Records that are not even JSON objects are also dead-lettered.
 */
public class CommandRouter extends ProcessFunction<Command, Command> {
  private static final long serialVersionUID = 1L;

  @Override
  public void processElement(Command c, Context ctx, Collector<Command> out) {
    if (!c.valid()) {
      ctx.output(Tags.ALERTS, rejected(c, c.at()));
      if (c.raw() != null) {
        ctx.output(Tags.DEAD_LETTERS, new DeadLetter(c.topic(), c.partition(), c.offset(), null, c.errors().get(0), c.raw()));
      }
    } else if (c.isCampaignCommand()) {
      out.collect(c);
    } else if (Command.CODES_UPLOAD.equals(c.type())) {
      ctx.output(Tags.CODE_COMMANDS, c);
    } else {
      ctx.output(Tags.LIST_COMMANDS, c);
    }
  }

  /** The COMMAND_REJECTED alert of a command, naming every error. */
  public static Alert rejected(Command c, long at) {
    String what = c.type() == null ? "command" : c.type();
    return new Alert(
        Reasons.COMMAND_REJECTED,
        c.campaignId(),
        c.series(),
        c.commandId(),
        what + (c.commandId() == null ? "" : " " + c.commandId()) + " rejected: " + String.join("; ", c.errors()),
        at);
  }
}
