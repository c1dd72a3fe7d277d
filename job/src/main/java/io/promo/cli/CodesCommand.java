package io.promo.cli;

import io.promo.model.Reasons;
import io.promo.time.Times;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code promoctl codes ...}: coupon and voucher code inventory. */
@Command(name = "codes", mixinStandardHelpOptions = true, description = "Upload coupon and voucher codes.",
    subcommands = CodesCommand.Upload.class)
final class CodesCommand implements Runnable {
  @Spec CommandSpec spec;

  /** The largest codes.upload the job accepts (CommandCodec.MAX_CODES_PER_UPLOAD). */
  static final int MAX_CHUNK = 100_000;
  /** Upper bound of one command's code list in bytes, well under Kafka's default 1 MB record limit. */
  static final int MAX_CHUNK_BYTES = 900_000;
  /** The longest code the job accepts. */
  static final int MAX_CODE_LENGTH = 256;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: upload");
  }

  /** An instant: ISO-8601 (2026-12-31T23:59:59Z) or epoch milliseconds. */
  static final class InstantConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      if (value.matches("\\d{1,15}")) {
        return Long.parseLong(value);
      }
      try {
        return Times.instant(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not an ISO-8601 instant (e.g. 2026-12-31T23:59:59Z)");
      }
    }
  }

  @Command(name = "upload", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
          "Upload codes to an inventory series from a file.",
          "FILE is a CSV whose header has a 'code' column, or one code per line; blank lines and repeated "
              + "codes are skipped. The codes are sent in chunks, one codes.upload command each. With --wait "
              + "(the default) the DUPLICATE_CODES alerts of these commands are reported: codes uploaded "
              + "before (to any series of the same partner) are refused, the others added. The job does not "
              + "acknowledge accepted codes, so --wait listens for --timeout; no alert in that time means no "
              + "duplicates were found."})
  static final class Upload extends Leaf implements Callable<Integer> {
    @Option(names = "--series", required = true, paramLabel = "SERIES", description = "The inventory series (e.g. CART10).")
    String series;

    @Option(names = "--partner", paramLabel = "PARTNER", description = "The partner of a PARTNER_VOUCHER series.")
    String partner;

    @Option(names = "--expires-at", paramLabel = "INSTANT", converter = InstantConverter.class,
        description = "When these codes expire (ISO-8601 instant or epoch ms).")
    Long expiresAt;

    @Option(names = "--chunk", paramLabel = "N", defaultValue = "5000",
        description = "Codes per command (default: ${DEFAULT-VALUE}, at most " + MAX_CHUNK + ").")
    int chunk;

    @Option(names = "--wait", description = "Report duplicate-code alerts for this upload (the default).")
    boolean wait;

    @Option(names = "--no-wait", description = "Only send the commands.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
        description = "How long to listen for alerts (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Parameters(paramLabel = "FILE", description = "The codes: CSV with a 'code' column, or one code per line.")
    Path file;

    @Override
    public Integer call() {
      if (chunk < 1 || chunk > MAX_CHUNK) {
        throw CliException.usage("--chunk must be between 1 and " + MAX_CHUNK);
      }
      PromoCtl r = root();
      ItemFile.Items items = ItemFile.read(file, List.of("code"), MAX_CODE_LENGTH);
      if (!items.ok()) {
        err().println("promoctl: " + file + ": nothing uploaded (" + Format.plural(items.errors().size(), "error", "errors") + "):");
        err().print(Format.bullets(items.errors(), ItemFile.ERRORS_SHOWN));
        return Exit.REJECTED;
      }
      List<List<String>> chunks = ItemFile.chunks(items.items(), chunk, MAX_CHUNK_BYTES);
      List<ControlCommands.Built> cmds = new ArrayList<>();
      for (List<String> c : chunks) {
        cmds.add(ControlCommands.codesUpload(r.actor, series, partner, expiresAt, c));
      }
      KafkaAccess kafka = r.reachableKafka();
      kafka.requireTopic(r.controlTopic, "control");
      Watcher watcher = noWait ? null : Watcher.start(kafka, List.of(r.alertsTopic));
      kafka.send(r.controlTopic, cmds.stream().map(ControlCommands.Built::record).toList());
      out().println("uploaded " + items.summary("codes") + " from " + file + " to series " + series
          + (partner == null ? "" : " (partner " + partner + ")") + " in "
          + Format.plural(cmds.size(), "command", "commands"));
      Map<String, Integer> chunkOf = new LinkedHashMap<>();
      for (int i = 0; i < cmds.size(); i++) {
        chunkOf.put(cmds.get(i).commandId(), i);
        if (cmds.size() > 1) {
          out().println("  chunk " + (i + 1) + "/" + cmds.size() + ": " + chunks.get(i).size() + " codes, commandId "
              + cmds.get(i).commandId());
        } else {
          out().println("  commandId " + cmds.get(i).commandId());
        }
      }
      out().flush();
      if (watcher == null) {
        return Exit.OK;
      }
      return report(watcher, cmds, chunkOf, chunks);
    }

    private static final Pattern REFUSED = Pattern.compile("^(\\d+) of (\\d+) codes refused");

    private int report(Watcher watcher, List<ControlCommands.Built> cmds, Map<String, Integer> chunkOf,
        List<List<String>> chunks) {
      PromoCtl r = root();
      if (watcher.topics().isEmpty()) {
        err().println("promoctl: cannot report duplicates: topic " + r.alertsTopic + " does not exist");
        return Exit.NOT_CONFIRMED;
      }
      out().println("listening " + Durations.format(timeout) + " for duplicate-code alerts (--no-wait to skip)...");
      out().flush();
      Map<String, String> answered = new HashMap<>();
      long[] refused = new long[1];
      boolean[] rejected = new boolean[1];
      watcher.until(timeout, (topic, a) -> {
        String id = a.path("commandId").asText(null);
        String type = a.path("type").asText("");
        if (id == null || !chunkOf.containsKey(id)
            || !(Reasons.DUPLICATE_CODES.equals(type) || Reasons.COMMAND_REJECTED.equals(type))) {
          return false;
        }
        String where = cmds.size() > 1 ? " (chunk " + (chunkOf.get(id) + 1) + "/" + cmds.size() + ")" : "";
        String message = a.path("message").asText("");
        answered.put(id, type);
        if (Reasons.DUPLICATE_CODES.equals(type)) {
          Matcher m = REFUSED.matcher(message);
          refused[0] += m.find() ? Long.parseLong(m.group(1)) : 0;
          err().println("DUPLICATE_CODES" + where + ": " + message);
        } else {
          rejected[0] = true;
          err().println("COMMAND_REJECTED" + where + ":");
          err().print(Format.bullets(CampaignCommand.rejectionErrors(message), Integer.MAX_VALUE));
        }
        err().flush();
        return answered.size() == chunkOf.size();
      });
      long sent = chunks.stream().mapToLong(List::size).sum();
      if (rejected[0]) {
        out().println("some commands were rejected: their codes were not added");
        return Exit.REJECTED;
      }
      if (refused[0] > 0) {
        out().println(refused[0] + " of " + sent + " codes refused as duplicates; " + (sent - refused[0]) + " added");
        return Exit.REJECTED;
      }
      if (!answered.isEmpty()) {
        out().println("some codes were refused as duplicates (see the alerts above)");
        return Exit.REJECTED;
      }
      out().println("no duplicate codes reported within " + Durations.format(timeout));
      return Exit.OK;
    }
  }
}
