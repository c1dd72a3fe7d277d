package io.promo.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promo.json.Json;
import io.promo.lang.CampaignParser;
import io.promo.model.Reasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code promoctl campaign ...}: create, edit, list, show and steer campaigns. */
@Command(
    name = "campaign",
    mixinStandardHelpOptions = true,
    description = "Create, edit, list, show and steer campaigns.",
    subcommands = {
        CampaignCommand.Create.class, CampaignCommand.Update.class, CampaignCommand.ListCampaigns.class,
        CampaignCommand.Show.class, CampaignCommand.Publish.class, CampaignCommand.Pause.class,
        CampaignCommand.Resume.class, CampaignCommand.Stop.class, CampaignCommand.Archive.class})
final class CampaignCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "Missing subcommand: create, update, list, show, publish, pause, resume, stop or archive");
  }

  /** --wait / --no-wait / --timeout of the commands that change a campaign. */
  static final class WaitOptions {
    @Option(names = "--wait", description = "Wait until the job has applied or rejected the command (the default).")
    boolean wait;

    @Option(names = "--no-wait", description = "Only send the command; do not wait for the job.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
        description = "How long to wait for the job (default: ${DEFAULT-VALUE}); exit code 4 when it passes.")
    Duration timeout;

    boolean enabled() {
      return !noWait;
    }
  }

  /** Shared plumbing of the subcommands. */
  abstract static class Base extends Leaf {

    /** Sends one campaign command and, when asked, waits for the job's answer; returns the exit code. */
    int sendAndWait(KafkaAccess kafka, ControlCommands.Built cmd, String campaignId, WaitOptions w) {
      PromoCtl r = root();
      Watcher watcher = w.enabled() ? Watcher.start(kafka, List.of(r.statusTopic, r.alertsTopic)) : null;
      kafka.send(r.controlTopic, List.of(cmd.record()));
      out().println("sent " + cmd.type() + " for " + campaignId + " (commandId " + cmd.commandId() + ")");
      out().flush();
      if (watcher == null) {
        return Exit.OK;
      }
      return awaitCampaign(watcher, cmd, campaignId, w.timeout);
    }

    int awaitCampaign(Watcher watcher, ControlCommands.Built cmd, String campaignId, Duration timeout) {
      PromoCtl r = root();
      if (watcher.topics().isEmpty()) {
        err().println("promoctl: cannot wait: neither " + r.statusTopic + " nor " + r.alertsTopic
            + " exists (is the job deployed?)");
        return Exit.NOT_CONFIRMED;
      }
      JsonNode[] answer = new JsonNode[1];
      boolean[] rejected = new boolean[1];
      boolean done = watcher.until(timeout, (topic, v) -> {
        if (topic.equals(r.statusTopic) && cmd.commandId().equals(v.path("lastCommandId").asText(null))) {
          answer[0] = v;
          return true;
        }
        if (topic.equals(r.alertsTopic) && cmd.commandId().equals(v.path("commandId").asText(null))
            && Reasons.COMMAND_REJECTED.equals(v.path("type").asText())) {
          answer[0] = v;
          rejected[0] = true;
          return true;
        }
        return false;
      });
      if (!done) {
        err().println("promoctl: the job did not confirm " + cmd.type() + " " + cmd.commandId() + " within "
            + Durations.format(timeout) + " (is the job running?). It may still apply it: check with "
            + "'promoctl campaign show " + campaignId + "'");
        return Exit.NOT_CONFIRMED;
      }
      if (rejected[0]) {
        List<String> errors = rejectionErrors(answer[0].path("message").asText(""));
        err().println("promoctl: the job rejected " + cmd.type() + " for " + campaignId + ":");
        err().print(Format.bullets(errors, Integer.MAX_VALUE));
        return Exit.REJECTED;
      }
      StatusView s = new StatusView(answer[0]);
      out().println("campaign " + s.id() + " version " + s.version() + ": " + s.status());
      return Exit.OK;
    }
  }

  /** The errors of a COMMAND_REJECTED message ("campaign.pause 42 rejected: e1; e2"), one per entry. */
  static List<String> rejectionErrors(String message) {
    int i = message.indexOf(" rejected: ");
    String tail = i >= 0 ? message.substring(i + " rejected: ".length()) : message;
    List<String> out = new ArrayList<>();
    for (String e : tail.split("; ")) {
      if (!e.isBlank()) {
        out.add(e.trim());
      }
    }
    return out.isEmpty() ? List.of(message) : out;
  }

  // ---- create / update ---------------------------------------------------------------------

  abstract static class Upsert extends Base implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
        description = "The campaign definition (JSON, CONTRACT §4; see examples/).")
    Path file;

    @Mixin WaitOptions waitOptions;

    boolean draft() {
      return false;
    }

    @Override
    public Integer call() {
      PromoCtl r = root();
      ObjectNode campaign = readCampaign(file);
      if (draft()) {
        campaign.put("draft", true);
      }
      if (!campaign.hasNonNull("createdBy") && r.actor != null && !r.actor.isBlank()) {
        campaign.put("createdBy", r.actor);
      }
      CampaignParser.Result parsed = CampaignParser.parse(campaign);
      if (!parsed.ok()) {
        err().println("promoctl: " + file + " is not a valid campaign ("
            + Format.plural(parsed.errors().size(), "error", "errors") + "):");
        err().print(Format.bullets(parsed.errors(), Integer.MAX_VALUE));
        return Exit.REJECTED;
      }
      String id = parsed.campaign().id();
      ControlCommands.Built cmd = ControlCommands.upsert(r.actor, id, campaign);
      KafkaAccess kafka = r.reachableKafka();
      kafka.requireTopic(r.controlTopic, "control");
      return sendAndWait(kafka, cmd, id, waitOptions);
    }
  }

  /** Reads a campaign file: a single JSON object (usage error when unreadable, exit 1 when not JSON). */
  static ObjectNode readCampaign(Path file) {
    if (!Files.isRegularFile(file)) {
      throw CliException.usage("cannot read " + file + ": no such file");
    }
    JsonNode n;
    try (JsonParser p = Json.MAPPER.getFactory().createParser(file.toFile())) {
      n = Json.MAPPER.readTree(p);
      if (p.nextToken() != null) {
        throw CliException.invalid(file + " is not valid JSON: more content after the campaign object");
      }
    } catch (IOException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
      throw CliException.invalid(file + " is not valid JSON: " + m);
    }
    if (n == null || !n.isObject()) {
      throw CliException.invalid(file + " must hold one campaign JSON object");
    }
    return (ObjectNode) n;
  }

  @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
          "Create a campaign from a JSON file.",
          "Validates the file locally first (every error is listed; exit 1, nothing is sent), then "
              + "sends campaign.upsert and, unless --no-wait, waits until the job has applied it (its status "
              + "shows the command) or rejected it (COMMAND_REJECTED). A missing createdBy is set to --actor."})
  static final class Create extends Upsert {
    @Option(names = "--draft", description = "Keep the campaign in DRAFT until 'campaign publish'.")
    boolean draft;

    @Override
    boolean draft() {
      return draft;
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
          "Edit a campaign (a new version) from a JSON file.",
          "The same campaign.upsert as create, validated locally first; the file keeps the campaign's id. "
              + "The job allows edits while DRAFT, SCHEDULED, RUNNING or PAUSED."})
  static final class Update extends Upsert {}

  // ---- list ---------------------------------------------------------------------------------

  @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
          "List campaigns, with filters.",
          "Reads the status topic from its beginning to its end (the latest record of each campaign) and "
              + "prints one row per campaign, sorted by id. Filters combine (all must hold); --status, --kind "
              + "and --reward take comma-separated values."})
  static final class ListCampaigns extends Base implements Callable<Integer> {
    @Option(names = "--status", split = ",", paramLabel = "STATUS",
        description = "DRAFT, SCHEDULED, RUNNING, PAUSED, STOPPED, COMPLETED, ARCHIVED.")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--kind", split = ",", paramLabel = "KIND", description = "LIVE, PAST_BEHAVIOR, CUSTOM_LIST.")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--reward", split = ",", paramLabel = "TYPE",
        description = "WALLET_POINTS, SINGLE_CODE_COUPON, BULK_COUPON_CODES, PARTNER_VOUCHER.")
    List<String> rewards = new ArrayList<>();

    @Option(names = "--creator", paramLabel = "NAME", description = "Created by (exact, any case).")
    String creator;

    @Option(names = "--label", paramLabel = "LABEL", description = "Has this label (exact, any case).")
    String label;

    @Option(names = "--search", paramLabel = "TEXT", description = "Text in the id, name or a label (any case).")
    String search;

    @Option(names = "--json", description = "Print the matching status records as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      PromoCtl r = root();
      StatusFilter filter = filter();
      KafkaAccess kafka = r.reachableKafka();
      if (kafka.partitions(r.statusTopic) == null) {
        err().println("promoctl: topic " + r.statusTopic + " does not exist yet (is the job deployed?)");
      }
      List<StatusView> all = kafka.latestByKey(r.statusTopic).values().stream().map(StatusView::new).toList();
      List<StatusView> shown = select(all, filter);
      if (json) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        shown.forEach(s -> a.add(s.json()));
        out().println(Format.pretty(a));
        return Exit.OK;
      }
      out().print(render(shown, all.size()));
      return Exit.OK;
    }

    StatusFilter filter() {
      return new StatusFilter(upper(statuses), upper(kinds), upper(rewards), creator, label, search);
    }

    private static Set<String> upper(List<String> values) {
      Set<String> out = new LinkedHashSet<>();
      for (String v : values) {
        if (!v.isBlank()) {
          out.add(v.trim().toUpperCase(Locale.ROOT));
        }
      }
      return out;
    }
  }

  /** The campaigns that pass the filter, sorted by id. */
  static List<StatusView> select(List<StatusView> all, StatusFilter filter) {
    return all.stream()
        .filter(filter)
        .sorted(Comparator.comparing(s -> s.id() == null ? "" : s.id()))
        .toList();
  }

  /** The campaign table, with a count line ("2 of 5 campaigns"). */
  static String render(List<StatusView> shown, int total) {
    if (shown.isEmpty()) {
      return total == 0 ? "no campaigns\n" : "no campaigns match (" + Format.plural(total, "campaign", "campaigns")
          + " in all)\n";
    }
    Table t = new Table("ID", "NAME", "STATUS", "KIND", "REWARD", "CREATOR", ">GRANTED/LIMIT", ">INVENTORY LEFT");
    for (StatusView s : shown) {
      t.row(s.id(), Table.cut(s.name(), 40), s.status(), s.kind(), s.rewardType(), s.createdBy(), s.grantedOfLimit(),
          s.inventoryLeft());
    }
    String count = shown.size() == total
        ? Format.plural(total, "campaign", "campaigns")
        : shown.size() + " of " + Format.plural(total, "campaign", "campaigns");
    return t.render() + "(" + count + ")\n";
  }

  // ---- show ---------------------------------------------------------------------------------

  @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
          "Show one campaign: status, counters and recent alerts.",
          "Prints the campaign's latest status record (definition fields, version, schedule, limits, "
              + "counters, rejections by reason, inventory) and its most recent alerts from the alerts topic."})
  static final class Show extends Base implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The campaign id.")
    String id;

    @Option(names = "--alerts", paramLabel = "N", defaultValue = "10",
        description = "How many recent alerts to show (default: ${DEFAULT-VALUE}; 0 for none).")
    int alerts;

    @Option(names = "--json", description = "Print {\"status\": ..., \"alerts\": [...]} as JSON.")
    boolean json;

    /** How far back (records per partition of the alerts topic) to look for the campaign's alerts. */
    static final long ALERT_WINDOW = 50_000;

    @Override
    public Integer call() {
      PromoCtl r = root();
      KafkaAccess kafka = r.reachableKafka();
      JsonNode status = kafka.latestByKey(r.statusTopic).get(id);
      if (status == null) {
        err().println("promoctl: no campaign '" + id + "' in " + r.statusTopic
            + " (see 'promoctl campaign list'; a campaign appears once the job has applied its creation)");
        return Exit.REJECTED;
      }
      List<JsonNode> recent = new ArrayList<>();
      if (alerts > 0) {
        for (JsonNode a : kafka.recent(r.alertsTopic, ALERT_WINDOW)) {
          if (id.equals(a.path("campaignId").asText(null))) {
            recent.add(a);
          }
        }
        recent.sort(Comparator.comparingLong(a -> a.path("at").asLong(0)));
        if (recent.size() > alerts) {
          recent = new ArrayList<>(recent.subList(recent.size() - alerts, recent.size()));
        }
      }
      if (json) {
        ObjectNode o = Json.object();
        o.set("status", status);
        ArrayNode a = o.putArray("alerts");
        recent.forEach(a::add);
        out().println(Format.pretty(o));
      } else {
        out().print(render(new StatusView(status), recent));
      }
      return Exit.OK;
    }
  }

  private static final Set<String> SHOWN = Set.of("id", "name", "status", "version", "kind", "rewardType",
      "createdBy", "labels", "schedule", "limits", "updatedAt", "lastCommandId", "stats");

  /** The human form of {@code campaign show}. */
  static String render(StatusView s, List<JsonNode> alerts) {
    Table t = new Table("FIELD", "VALUE");
    t.row("id", s.id());
    t.row("name", s.name());
    t.row("status", s.status());
    t.row("version", String.valueOf(s.version()));
    t.row("kind", s.kind());
    t.row("reward", s.rewardType());
    t.row("created by", s.createdBy() == null ? "-" : s.createdBy());
    t.row("labels", s.labels().isEmpty() ? "-" : String.join(", ", s.labels()));
    Long start = s.schedule("start");
    Long end = s.schedule("end");
    t.row("schedule", (start == null ? "at publish" : Format.time(start)) + " .. "
        + (end == null ? "open-ended" : Format.time(end)));
    Long perUser = s.limit("perUserMax");
    Long maxGrants = s.limit("maxGrants");
    Long maxPoints = s.limit("maxPoints");
    t.row("limits", "per user " + (perUser == null ? "-" : perUser)
        + ", grants " + (maxGrants == null ? "unlimited" : maxGrants)
        + ", points " + (maxPoints == null ? "unlimited" : maxPoints));
    t.row("updated", s.updatedAt() > 0 ? Format.time(s.updatedAt()) : "-");
    t.row("last command", s.lastCommandId() == null ? "-" : s.lastCommandId());
    // Fields a newer job adds are shown as they are.
    s.json().fields().forEachRemaining(e -> {
      if (!SHOWN.contains(e.getKey())) {
        JsonNode v = e.getValue();
        t.row(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
      }
    });
    StringBuilder sb = new StringBuilder(stripHeader(t.render()));

    sb.append("\ncounters\n");
    Table c = new Table("NAME", "VALUE");
    c.row("qualified", String.valueOf(s.stat("qualified")));
    c.row("granted", String.valueOf(s.stat("granted")) + (maxGrants == null ? "" : " of " + maxGrants));
    c.row("points", String.valueOf(s.stat("points")) + (maxPoints == null ? "" : " of " + maxPoints));
    c.row("rejected", String.valueOf(s.rejectedTotal()));
    for (Map.Entry<String, Long> e : s.rejected().entrySet()) {
      c.row("  " + e.getKey(), String.valueOf(e.getValue()));
    }
    if (s.inventory("remaining") != null) {
      c.row("codes uploaded", String.valueOf(s.inventory("uploaded")));
      c.row("codes issued", String.valueOf(s.inventory("issued")));
      c.row("codes remaining", String.valueOf(s.inventory("remaining")));
    }
    sb.append(indent(stripHeader(c.render())));

    sb.append("\nrecent alerts");
    if (alerts.isEmpty()) {
      sb.append(": none\n");
    } else {
      sb.append('\n');
      Table a = new Table("AT", "TYPE", "MESSAGE");
      for (JsonNode al : alerts) {
        a.row(Format.time(al.get("at")), al.path("type").asText(), al.path("message").asText());
      }
      sb.append(indent(stripHeader(a.render())));
    }
    return sb.toString();
  }

  private static String stripHeader(String table) {
    return table.substring(table.indexOf('\n') + 1);
  }

  private static String indent(String lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines.split("\n")) {
      sb.append("  ").append(l).append('\n');
    }
    return sb.toString();
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  abstract static class Lifecycle extends Base implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The campaign id.")
    String id;

    @Mixin WaitOptions waitOptions;

    abstract String type();

    @Override
    public Integer call() {
      if (!CampaignParser.ID.matcher(id).matches()) {
        throw CliException.usage("'" + id + "' is not a campaign id ([A-Za-z0-9._-]{1,64})");
      }
      PromoCtl r = root();
      ControlCommands.Built cmd = ControlCommands.lifecycle(type(), r.actor, id);
      KafkaAccess kafka = r.reachableKafka();
      kafka.requireTopic(r.controlTopic, "control");
      return sendAndWait(kafka, cmd, id, waitOptions);
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Publish a DRAFT campaign: SCHEDULED until its start, then RUNNING.")
  static final class Publish extends Lifecycle {
    @Override
    String type() {
      return io.promo.model.Command.PUBLISH;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Pause a RUNNING campaign (qualifications are rejected with NOT_RUNNING, not queued).")
  static final class Pause extends Lifecycle {
    @Override
    String type() {
      return io.promo.model.Command.PAUSE;
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Resume a PAUSED campaign.")
  static final class Resume extends Lifecycle {
    @Override
    String type() {
      return io.promo.model.Command.RESUME;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Stop a campaign for good (SCHEDULED, RUNNING or PAUSED -> STOPPED, final).")
  static final class Stop extends Lifecycle {
    @Override
    String type() {
      return io.promo.model.Command.STOP;
    }
  }

  @Command(name = "archive", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Archive a DRAFT, STOPPED or COMPLETED campaign.")
  static final class Archive extends Lifecycle {
    @Override
    String type() {
      return io.promo.model.Command.ARCHIVE;
    }
  }
}
