package io.promo.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code promoctl}, the operator CLI of the promo campaigns engine. It only speaks the public
 * interface (docs/promoctl.md, CONTRACT §3–5): it writes commands to the control topic and reads
 * the status, alerts and grants topics. It never loads Flink classes.
 */
@Command(
    name = "promoctl",
    mixinStandardHelpOptions = true,
    versionProvider = PromoCtl.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Operator CLI of the promo campaigns engine: writes commands to the control topic and reads "
            + "campaign status, alerts and grants from Kafka.", ""},
    subcommands = {CampaignCommand.class, CodesCommand.class, ListCommand.class, GrantsCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done (and, with --wait, applied by the job)",
        "1:invalid input, or rejected by the job (COMMAND_REJECTED, DUPLICATE_CODES)",
        "2:usage error (unknown option, missing argument, unreadable file)",
        "3:cannot reach Kafka",
        "4:sent, but the job did not confirm it within --timeout"},
    footer = {"", "Global options may be given before or after the command. See docs/promoctl.md."})
public final class PromoCtl implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--bootstrap-servers", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
      defaultValue = "${env:PROMO_BOOTSTRAP:-localhost:9092}",
      description = "Kafka bootstrap servers (env PROMO_BOOTSTRAP; default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--control-topic", scope = ScopeType.INHERIT, paramLabel = "TOPIC", defaultValue = "promo.control",
      description = "Command log the job reads (default: ${DEFAULT-VALUE}).")
  String controlTopic;

  @Option(names = "--status-topic", scope = ScopeType.INHERIT, paramLabel = "TOPIC",
      defaultValue = "promo.campaign-status",
      description = "Compacted campaign status topic (default: ${DEFAULT-VALUE}).")
  String statusTopic;

  @Option(names = "--grants-topic", scope = ScopeType.INHERIT, paramLabel = "TOPIC", defaultValue = "promo.grants",
      description = "Grants topic (default: ${DEFAULT-VALUE}).")
  String grantsTopic;

  @Option(names = "--alerts-topic", scope = ScopeType.INHERIT, paramLabel = "TOPIC", defaultValue = "promo.alerts",
      description = "Alerts topic (default: ${DEFAULT-VALUE}).")
  String alertsTopic;

  @Option(names = "--actor", scope = ScopeType.INHERIT, paramLabel = "NAME", defaultValue = "${env:USER:-promoctl}",
      description = "Who is acting, recorded in every command (default: $USER, now ${DEFAULT-VALUE}).")
  String actor;

  @Option(names = "--connect-timeout", scope = ScopeType.INHERIT, paramLabel = "DURATION", defaultValue = "5s",
      converter = Durations.class,
      description = "How long to wait for Kafka to answer before giving up with exit code 3 (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(names = {"-X", "--kafka-property"}, scope = ScopeType.INHERIT, paramLabel = "KEY=VALUE",
      description = "Extra Kafka client property, repeatable (e.g. -X security.protocol=SASL_SSL).")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  private KafkaAccess kafka;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: campaign, codes, list or grants");
  }

  /** The Kafka clients of this invocation (created on first use, closed when the command ends). */
  KafkaAccess kafka() {
    if (kafka == null) {
      kafka = new KafkaAccess(bootstrapServers, kafkaProperties, connectTimeout);
    }
    return kafka;
  }

  /** {@link #kafka()} after checking that the cluster answers (exit code 3 otherwise). */
  KafkaAccess reachableKafka() {
    KafkaAccess k = kafka();
    k.ensureReachable();
    return k;
  }

  private void closeKafka() {
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
  }

  /** The root options object of the command a subcommand belongs to. */
  static PromoCtl of(CommandSpec spec) {
    return (PromoCtl) spec.root().userObject();
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** A fully configured command line (tests set its out/err and call {@code execute}). */
  public static CommandLine commandLine() {
    PromoCtl root = new PromoCtl();
    CommandLine cl = new CommandLine(root);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOverwrittenOptionsAllowed(true); // the last value wins (aliases and wrappers can set defaults)
    cl.setHelpFactory(LocalOptionsHelp::new);
    // One writer per stream for the whole command tree (picocli would otherwise create one per
    // subcommand), flushed when the command ends.
    cl.setOut(new PrintWriter(System.out, true));
    cl.setErr(new PrintWriter(System.err, true));
    for (CommandLine sub : cl.getSubcommands().values()) {
      tidyHelp(sub);
    }
    cl.setExecutionStrategy(parseResult -> {
      try {
        return new CommandLine.RunLast().execute(parseResult);
      } finally {
        root.closeKafka();
        for (CommandLine c : parseResult.asCommandLineList()) {
          c.getOut().flush();
          c.getErr().flush();
        }
      }
    });
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      PrintWriter err = cmd.getErr();
      CliException ce = find(ex);
      if (ce != null) {
        err.println("promoctl: " + ce.getMessage());
        err.flush();
        return ce.exitCode();
      }
      err.println("promoctl: " + KafkaAccess.rootMessage(ex));
      if (System.getenv("PROMOCTL_DEBUG") != null) {
        ex.printStackTrace(err);
      }
      err.flush();
      return Exit.REJECTED;
    });
    return cl;
  }

  /**
   * The help of a subcommand lists its own options; the global ones (inherited from promoctl) are
   * named in one line instead of being repeated in every synopsis and option list.
   */
  private static void tidyHelp(CommandLine cl) {
    Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
        help -> help.optionListExcludingGroups(localOptions(help.commandSpec())));
    sections.put(GLOBAL_OPTIONS, help -> String.format(
        "Global options (see 'promoctl --help'): --bootstrap-servers, --control-topic, --status-topic,%n"
            + "  --grants-topic, --alerts-topic, --actor, --connect-timeout, -X KEY=VALUE%n"));
    java.util.List<String> keys = new java.util.ArrayList<>(cl.getHelpSectionKeys());
    if (!keys.contains(GLOBAL_OPTIONS)) {
      keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, GLOBAL_OPTIONS);
      cl.setHelpSectionKeys(keys);
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      tidyHelp(sub);
    }
  }

  private static final String GLOBAL_OPTIONS = "promoctlGlobalOptions";

  private static java.util.List<CommandLine.Model.OptionSpec> localOptions(CommandSpec spec) {
    return spec.options().stream().filter(o -> !o.inherited() && !o.hidden()).toList();
  }

  /** Synopses of subcommands show their own options and "[GLOBAL-OPTIONS]". */
  static final class LocalOptionsHelp extends CommandLine.Help {
    LocalOptionsHelp(CommandSpec spec, ColorScheme colors) {
      super(spec, colors);
    }

    @Override
    protected Ansi.Text createDetailedSynopsisOptionsText(java.util.Collection<CommandLine.Model.ArgSpec> done,
        java.util.List<CommandLine.Model.OptionSpec> options, java.util.Comparator<CommandLine.Model.OptionSpec> sort,
        boolean clusterBooleanOptions) {
      if (commandSpec().parent() == null) {
        return super.createDetailedSynopsisOptionsText(done, options, sort, clusterBooleanOptions);
      }
      java.util.List<CommandLine.Model.OptionSpec> local = options.stream().filter(o -> !o.inherited()).toList();
      return super.createDetailedSynopsisOptionsText(done, local, sort, clusterBooleanOptions)
          .concat(" [GLOBAL-OPTIONS]");
    }
  }

  private static CliException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof CliException ce) {
        return ce;
      }
    }
    return null;
  }

  /** The version from the jar's Maven metadata. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = "dev";
      try (InputStream in = PromoCtl.class.getResourceAsStream("/META-INF/maven/io.promo/promo-job/pom.properties")) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          v = p.getProperty("version", v);
        }
      } catch (Exception ignored) {
        // keep "dev"
      }
      return new String[] {"promoctl " + v};
    }
  }
}
