package io.promo.cli;

import io.promo.json.EventCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code promoctl list add|remove}: custom user list membership. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "Add users to or remove them from a custom user list (for inList segments).",
    subcommands = {ListCommand.Add.class, ListCommand.Remove.class})
final class ListCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: add or remove");
  }

  abstract static class Change extends Leaf implements Callable<Integer> {
    @Option(names = "--list", required = true, paramLabel = "LIST", description = "The list name (e.g. vip).")
    String list;

    @Option(names = "--chunk", paramLabel = "N", defaultValue = "5000",
        description = "User ids per command (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Parameters(paramLabel = "FILE",
        description = "The user ids: one per line, or a CSV with a 'userId' column. Blank lines and repeats are skipped.")
    Path file;

    abstract String type();

    abstract String verb();

    @Override
    public Integer call() {
      if (chunk < 1 || chunk > CodesCommand.MAX_CHUNK) {
        throw CliException.usage("--chunk must be between 1 and " + CodesCommand.MAX_CHUNK);
      }
      PromoCtl r = root();
      ItemFile.Items items = ItemFile.read(file, List.of("userId", "user_id"), EventCodec.MAX_USER_ID);
      if (!items.ok()) {
        err().println("promoctl: " + file + ": nothing sent (" + Format.plural(items.errors().size(), "error", "errors") + "):");
        err().print(Format.bullets(items.errors(), ItemFile.ERRORS_SHOWN));
        return Exit.REJECTED;
      }
      List<List<String>> chunks = ItemFile.chunks(items.items(), chunk, CodesCommand.MAX_CHUNK_BYTES);
      List<ControlCommands.Built> cmds = new ArrayList<>();
      for (List<String> c : chunks) {
        cmds.add(ControlCommands.listChange(type(), r.actor, list, c));
      }
      KafkaAccess kafka = r.reachableKafka();
      kafka.requireTopic(r.controlTopic, "control");
      kafka.send(r.controlTopic, cmds.stream().map(ControlCommands.Built::record).toList());
      out().println(verb() + " " + items.summary("user ids") + " from " + file + " "
          + (type().equals(io.promo.model.Command.LIST_ADD) ? "to" : "from") + " list " + list + " in "
          + Format.plural(cmds.size(), "command", "commands") + " (" + type() + ")");
      for (int i = 0; i < cmds.size(); i++) {
        out().println("  " + (cmds.size() > 1 ? "chunk " + (i + 1) + "/" + cmds.size() + ": " + chunks.get(i).size()
            + " user ids, " : "") + "commandId " + cmds.get(i).commandId());
      }
      return Exit.OK;
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Add the users of FILE to a list (list.add commands, chunked).")
  static final class Add extends Change {
    @Override
    String type() {
      return io.promo.model.Command.LIST_ADD;
    }

    @Override
    String verb() {
      return "added";
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Remove the users of FILE from a list (list.remove commands, chunked).")
  static final class Remove extends Change {
    @Override
    String type() {
      return io.promo.model.Command.LIST_REMOVE;
    }

    @Override
    String verb() {
      return "removed";
    }
  }
}
