package io.promo.bench;

import io.promo.job.JobConfig;
import io.promo.job.PromoJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The benchmark driver ({@code ./scripts/bench}; docs/BENCHMARKS.md says what it measures and
 * how to read it). One JVM, one in-JVM MiniCluster (one TaskManager, one slot, parallelism 1):
 *
 * <ol>
 *   <li>Throughput: interleaved pairs B0, J, B0, J… over the same pre-serialized events;
 *       events/s of each after warm-up and the ratio J/B0 of each pair (median, min, max).
 *   <li>Latency: J fed by a paced generator at a share of J's measured rate; ingestion →
 *       grant emission (HdrHistogram), for a few watermark settings.
 *   <li>State: canonical savepoint and full checkpoint sizes of the user evaluator, per user
 *       and per pending inaction window.
 *   <li>Visibility ({@link Visibility}): the job with its Kafka I/O against a broker in this JVM;
 *       event → grant visible to a read_committed consumer, against the checkpoint interval.
 * </ol>
 */
public final class Bench {

  // ---- options ----------------------------------------------------------------------------------

  static final class Options {
    boolean quick;
    boolean matrix;
    boolean throughput = true;
    boolean latency = true;
    boolean state = true;
    boolean visibility = true;
    int pairs = 5;
    /** Unreported B0 and J runs before the first measured pair (JIT compilation, RocksDB warm-up). */
    int warmupRuns = 1;
    List<Integer> campaigns = List.of(10);
    List<Integer> users = List.of(100_000);
    List<Double> shares = List.of(0.2);
    String eventsFile;
    String campaignsFile;
    int eventsPerRun = 3_000_000;
    double maxSeconds = 25;
    double warmupSeconds = 3;
    int eventTimeRate = 1000;
    int perUserMax = 1000;
    double latencyLoad = 0.5;
    double latencySeconds = 25;
    List<String> latencyVariants = new ArrayList<>(List.of("bound=PT0.05S", "bound=PT2S",
        "bound=PT0.05S,wm=10ms,buffer=5ms"));
    int stateUsers = 100_000;
    int stateMixEvents = 1_000_000;
    /** Events/s of the visibility runs' paced producer: well under J's sustainable rate (see BENCHMARKS.md). */
    int visibilityRate = 2000;
    double visibilitySeconds = 60;
    double visibilityWarmupSeconds = 5;
    List<String> visibilityVariants = new ArrayList<>(List.of("defaults", "bound=PT0.05S,checkpoint=PT1S"));
    /** Before each run, wait up to this long for other processes to use less than {@link #quietCores}. */
    double quietWaitSeconds = 0;
    double quietCores = 0.3;
    String only;
    long seed = 42;
    String managedMemory = "512m";
    String out;
    String writeEvents;
    int writeEventsCount = 1_000_000;
    final Map<String, String> job = new LinkedHashMap<>();
    final Map<String, String> flink = new LinkedHashMap<>();
    /** Further J configurations run in every pair right after J (same JVM, same B0). */
    final List<Variant> variants = new ArrayList<>();
    /** Extra baselines run after B0 in every pair: B1 (one read, one write), B2 (buffered until the watermark). */
    List<String> baselines = List.of();

    static Options parse(String[] args) {
      Options o = new Options();
      for (String a : args) {
        if (a.equals("--quick")) {
          o.quick = true;
        }
      }
      if (o.quick) {
        o.eventsPerRun = 1_000_000;
        o.maxSeconds = 5;
        o.warmupSeconds = 1.5;
        o.latencySeconds = 8;
        o.latencyVariants = new ArrayList<>(List.of("bound=PT0.05S", "bound=PT2S"));
        o.stateUsers = 10_000;
        o.stateMixEvents = 100_000;
        o.visibilitySeconds = 15;
        o.visibilityWarmupSeconds = 3;
      }
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--quick" -> { }
          case "--matrix" -> o.matrix = true;
          case "--no-throughput" -> o.throughput = false;
          case "--no-latency" -> o.latency = false;
          case "--no-state" -> o.state = false;
          case "--no-visibility" -> o.visibility = false;
          case "--visibility" -> o.visibility = true;
          case "--only-visibility" -> {
            o.visibility = true;
            o.throughput = false;
            o.latency = false;
            o.state = false;
          }
          case "--visibility-rate" -> o.visibilityRate = (int) Double.parseDouble(args[++i]);
          case "--visibility-seconds" -> o.visibilitySeconds = Double.parseDouble(args[++i]);
          case "--visibility-warmup" -> o.visibilityWarmupSeconds = Double.parseDouble(args[++i]);
          case "--visibility-variants" -> o.visibilityVariants = new ArrayList<>(Arrays.asList(args[++i].split(";")));
          case "--pairs" -> o.pairs = Integer.parseInt(args[++i]);
          case "--warmup-runs" -> o.warmupRuns = Integer.parseInt(args[++i]);
          case "--campaigns" -> o.campaigns = ints(args[++i]);
          case "--users" -> o.users = ints(args[++i]);
          case "--match-share" -> o.shares = doubles(args[++i]);
          case "--events" -> o.eventsFile = args[++i];
          case "--campaigns-file" -> o.campaignsFile = args[++i];
          case "--events-per-run" -> o.eventsPerRun = (int) Double.parseDouble(args[++i]);
          case "--max-seconds" -> o.maxSeconds = Double.parseDouble(args[++i]);
          case "--warmup-seconds" -> o.warmupSeconds = Double.parseDouble(args[++i]);
          case "--event-time-rate" -> o.eventTimeRate = (int) Double.parseDouble(args[++i]);
          case "--per-user-max" -> o.perUserMax = Integer.parseInt(args[++i]);
          case "--latency-load" -> o.latencyLoad = Double.parseDouble(args[++i]);
          case "--latency-seconds" -> o.latencySeconds = Double.parseDouble(args[++i]);
          case "--latency-variants" -> o.latencyVariants = new ArrayList<>(Arrays.asList(args[++i].split(";")));
          case "--state-users" -> o.stateUsers = (int) Double.parseDouble(args[++i]);
          case "--state-mix-events" -> o.stateMixEvents = (int) Double.parseDouble(args[++i]);
          case "--only" -> o.only = args[++i];
          case "--quiet-wait" -> o.quietWaitSeconds = Double.parseDouble(args[++i]);
          case "--quiet-cores" -> o.quietCores = Double.parseDouble(args[++i]);
          case "--variant" -> o.variants.add(Variant.parse(args[++i]));
          case "--baselines" -> o.baselines = Arrays.asList(args[++i].split(","));
          case "--seed" -> o.seed = Long.parseLong(args[++i]);
          case "--managed-memory" -> o.managedMemory = args[++i];
          case "--out" -> o.out = args[++i];
          case "--write-events" -> {
            o.writeEvents = args[++i];
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
              o.writeEventsCount = (int) Double.parseDouble(args[++i]);
            }
          }
          default -> {
            if (a.startsWith("--job.")) {
              o.job.put(a.substring(6), args[++i]);
            } else if (a.startsWith("--flink.")) {
              o.flink.put(a.substring(8), args[++i]);
            } else {
              throw new IllegalArgumentException("unknown option " + a + " (see docs/BENCHMARKS.md)");
            }
          }
        }
      }
      if (o.matrix) {
        o.campaigns = List.of(1, 10, 100, 1000);
        o.users = List.of(10_000, 100_000, 1_000_000);
      }
      if (o.only != null && !o.only.equals("B0") && !o.only.equals("J")) {
        throw new IllegalArgumentException("--only takes B0 or J");
      }
      return o;
    }

    private static List<Integer> ints(String s) {
      return Arrays.stream(s.split(",")).map(x -> (int) Double.parseDouble(x.trim())).toList();
    }

    private static List<Double> doubles(String s) {
      return Arrays.stream(s.split(",")).map(x -> Double.parseDouble(x.trim())).toList();
    }
  }

  /**
   * {@code NAME:key=value,key=value}: J with job options ({@code job.KEY}) or Flink options
   * ({@code flink.KEY}) changed, e.g. {@code heap-timers:flink.state.backend.rocksdb.timer-service.factory=HEAP}.
   */
  record Variant(String name, Map<String, String> job, Map<String, String> flink) {
    static Variant parse(String spec) {
      int colon = spec.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("--variant NAME:job.KEY=VALUE,flink.KEY=VALUE");
      }
      Map<String, String> job = new LinkedHashMap<>();
      Map<String, String> flink = new LinkedHashMap<>();
      for (String kv : spec.substring(colon + 1).split(",")) {
        String[] x = kv.split("=", 2);
        if (x.length != 2) {
          throw new IllegalArgumentException("--variant: '" + kv + "' is not KEY=VALUE");
        }
        if (x[0].startsWith("job.")) {
          job.put(x[0].substring(4), x[1]);
        } else if (x[0].startsWith("flink.")) {
          flink.put(x[0].substring(6), x[1]);
        } else {
          throw new IllegalArgumentException("--variant keys start with job. or flink.: " + x[0]);
        }
      }
      return new Variant(spec.substring(0, colon), job, flink);
    }
  }

  /**
   * The knobs of a latency or visibility variant: {@code bound=PT0.05S,checkpoint=PT1S,wm=10ms,buffer=5ms}
   * (out-of-orderness, checkpoint interval, pipeline.auto-watermark-interval, buffer time-out), or
   * {@code defaults} for the job as configured.
   */
  record Knobs(Map<String, String> job, Map<String, String> flink) {
    /** "10ms" as the job's ISO-8601 form "PT0.01S"; anything else as given. */
    static String iso(String d) {
      return d.matches("\\d+ms") ? "PT" + java.math.BigDecimal.valueOf(Long.parseLong(d.replace("ms", "")), 3).toPlainString() + "S" : d;
    }

    static Knobs parse(String variant) {
      Map<String, String> job = new LinkedHashMap<>();
      Map<String, String> flink = new LinkedHashMap<>();
      if (variant.isBlank() || variant.trim().equals("defaults")) {
        return new Knobs(job, flink);
      }
      for (String kv : variant.split(",")) {
        String[] x = kv.split("=", 2);
        if (x.length != 2) {
          throw new IllegalArgumentException("variant '" + variant + "': '" + kv + "' is not KEY=VALUE");
        }
        switch (x[0].trim()) {
          case "bound" -> job.put("out-of-orderness", x[1].trim());
          case "wm" -> job.put("watermark.interval", iso(x[1].trim()));
          case "buffer" -> job.put("buffer.timeout", iso(x[1].trim()));
          case "checkpoint" -> job.put("checkpoint.interval", x[1].trim());
          default -> {
            if (x[0].trim().startsWith("flink.")) {
              flink.put(x[0].trim().substring("flink.".length()), x[1].trim());
            } else if (x[0].trim().startsWith("job.")) {
              job.put(x[0].trim().substring("job.".length()), x[1].trim());
            } else {
              throw new IllegalArgumentException(
                  "variant keys: bound, wm, buffer, checkpoint, flink.KEY, job.KEY (or 'defaults')");
            }
          }
        }
      }
      return new Knobs(job, flink);
    }
  }

  /** One workload of the throughput section. */
  record Point(int campaigns, int users, double share) {
    String label() {
      return campaigns + " campaigns, " + fmtCount(users) + " users, " + Math.round(share * 100) + "% matching";
    }
  }

  // ---- state of the invocation ------------------------------------------------------------------

  private final Options o;
  private final Cluster cluster;
  private final List<String> report = new ArrayList<>();
  private final Path work;
  private int seq;

  private Bench(Options o, Cluster cluster, Path work) {
    this.o = o;
    this.cluster = cluster;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    if (o.writeEvents != null) {
      writeEvents(o);
      return;
    }
    run(o);
    System.exit(0); // Flink leaves non-daemon threads behind
  }

  /** What a run measured, for the harness test. */
  record Totals(long jRuns, long grants, long deadLetters, double medianRatio, double bytesPerWindow,
      long visibilityGrants) {}

  private long jRuns;
  private long grantsTotal;
  private long deadTotal;
  private double firstRatio = Double.NaN;
  private double bytesPerWindow = Double.NaN;
  private long visibilityGrants;

  static Totals run(Options o) throws Exception {
    long started = System.nanoTime();
    Path work = Files.createTempDirectory("promo-bench-");
    try (Cluster cluster = new Cluster(clusterConf(o))) {
      Bench b = new Bench(o, cluster, work);
      b.header();
      b.runAll();
      b.line("");
      b.line(String.format(Locale.ROOT, "_Total wall time of the invocation: %.0f s._", (System.nanoTime() - started) / 1e9));
      b.finish();
      return new Totals(b.jRuns, b.grantsTotal, b.deadTotal, b.firstRatio, b.bytesPerWindow, b.visibilityGrants);
    } finally {
      deleteTree(work);
    }
  }

  static Configuration clusterConf(Options o) {
    Configuration conf = PromoJob.settings(jobConfig(o, "cluster", null));
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(o.managedMemory));
    o.flink.forEach(conf::setString);
    return conf;
  }

  static JobConfig jobConfig(Options o, String runId, Path work) {
    JobConfig cfg = JobConfig.defaults()
        .with("parallelism", "1")
        // A replay of past-dated events runs flat out; a stall of the source beyond quiet-after
        // would switch event time to the wall clock and make the rest of the replay LATE. The
        // bench replays history, so it keeps event time driven by the events alone.
        .with("quiet-after", "PT1H");
    if (work != null) {
      cfg = cfg.with("checkpoint.dir", work.resolve("ckpt-" + runId).toUri().toString());
    }
    for (Map.Entry<String, String> e : o.job.entrySet()) {
      cfg = cfg.with(e.getKey(), e.getValue());
    }
    return cfg;
  }

  private StreamExecutionEnvironment env(JobConfig cfg, Map<String, String> extraFlink) {
    Configuration c = PromoJob.settings(cfg);
    o.flink.forEach(c::setString);
    extraFlink.forEach(c::setString);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
    env.setParallelism(1);
    return env;
  }

  private void line(String s) {
    report.add(s);
    System.out.println(s);
    System.out.flush();
  }

  private void header() throws Exception {
    String cmd = System.getProperty("bench.command", "(java) io.promo.bench.Bench " + String.join(" ", List.of()));
    line("# Benchmark run " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    line("");
    line("- command: `" + cmd + "`");
    line("- git: " + System.getProperty("bench.git", "?"));
    line("- machine: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap; " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.version") + "; host " + System.getProperty("bench.host", "?"));
    line("- JVM flags: " + String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    line("- Flink: MiniCluster in this JVM, 1 TaskManager, 1 slot, parallelism 1, managed memory " + o.managedMemory
        + "; job settings from PromoJob.settings (RocksDB, incremental checkpoints every "
        + jobConfig(o, "x", null).get("checkpoint.interval") + ", exactly-once, object reuse)"
        + (o.flink.isEmpty() ? "" : "; overrides " + o.flink) + (o.job.isEmpty() ? "" : "; job options " + o.job));
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Paths.get("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private void finish() throws IOException {
    Path out = o.out != null ? Paths.get(o.out)
        : Paths.get(".local", "bench", "bench-" + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.write(out, report, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println("(written to " + out.toAbsolutePath() + ")");
  }

  // ---- sections ---------------------------------------------------------------------------------

  private void runAll() throws Exception {
    double jRate = Double.NaN;
    if (o.throughput) {
      jRate = throughput();
    }
    if (o.latency && o.only == null) {
      if (Double.isNaN(jRate)) {
        throw new IllegalArgumentException("latency needs the throughput section (for the sustainable rate)");
      }
      latency(jRate);
    }
    if (o.state && o.only == null && o.eventsFile == null) {
      state();
    }
    // Last: its broker stays up (in this JVM) until the invocation ends.
    if (o.visibility && o.only == null && o.eventsFile == null) {
      visibility();
    }
  }

  /** Events of one point: the generator's, or the replayed file's. */
  record Input(byte[][] events, List<byte[]> commands, String label) {}

  private Input input(Point p) throws IOException {
    if (o.eventsFile != null) {
      return Replay.load(o, p);
    }
    long span = (long) o.eventsPerRun * 1000L / o.eventTimeRate;
    // Event time ends a minute before now: nothing is FUTURE, every window is in the past.
    long t0 = System.currentTimeMillis() - span - 60_000L;
    Workload w = new Workload(p.campaigns(), p.users(), p.share(), t0, o.eventTimeRate, o.seed, null, o.perUserMax);
    long g = System.nanoTime();
    byte[][] events = w.events(o.eventsPerRun);
    System.out.printf(Locale.ROOT, "  (generated %d events in %.1f s)%n", events.length, (System.nanoTime() - g) / 1e9);
    List<byte[]> commands = o.campaignsFile != null ? Replay.campaigns(o, w) : w.commands();
    return new Input(events, commands, p.label());
  }

  private List<Point> points() {
    List<Point> pts = new ArrayList<>();
    if (o.matrix) {
      for (int c : o.campaigns) {
        pts.add(new Point(c, 100_000, o.shares.get(0)));
      }
      for (int u : o.users) {
        if (u != 100_000) {
          pts.add(new Point(10, u, o.shares.get(0)));
        }
      }
      for (double s : o.shares.subList(1, o.shares.size())) {
        pts.add(new Point(10, 100_000, s));
      }
      return pts;
    }
    for (int c : o.campaigns) {
      for (int u : o.users) {
        for (double s : o.shares) {
          pts.add(new Point(c, u, s));
        }
      }
    }
    return pts;
  }

  /** Returns the median J rate of the first point (the sustainable rate for the latency runs). */
  private double throughput() throws Exception {
    line("");
    line("## Throughput: interleaved pairs (B0 passthrough, J full job), " + o.pairs + " pairs per workload");
    line("");
    line(String.format(Locale.ROOT, "Each run: up to %s pre-serialized events, at most %.0f s, measured after %.1f s of warm-up; "
        + "events/s = events emitted by the source after warm-up / time (the source runs at the pace of the slowest operator). "
        + "CPU µs/event = CPU time of the whole JVM (every thread: tasks, RocksDB, GC) per event over the same window. "
        + "Quiet pairs: both runs had other processes using < %.2f cores.",
        fmtCount(o.eventsPerRun), o.maxSeconds, o.warmupSeconds, o.quietCores));
    line("");
    line("| workload | B0 events/s median [min–max] | J events/s median [min–max] | J/B0 median [min–max] "
        + "| J/B0 of quiet pairs (n) | CPU µs/event B0 · J (median) | CPU B0/J | grants per J run | rejections | dead letters "
        + "| other processes' CPU (cores) min–max |");
    line("|---|---|---|---|---|---|---|---|---|---|---|");
    double first = Double.NaN;
    Map<Point, double[]> medians = new LinkedHashMap<>();
    for (Point p : points()) {
      Input in = input(p);
      String eventsFeed = "events-" + (++seq);
      String controlFeed = "control-" + seq;
      Probe.putData(eventsFeed, new ArrayFeed(in.events()));
      Probe.putData(controlFeed, new ArrayFeed(in.commands().toArray(new byte[0][])));
      if (p.equals(points().get(0))) {
        for (int w = 0; w < o.warmupRuns; w++) {
          double keep = o.maxSeconds;
          o.maxSeconds = Math.min(o.maxSeconds, o.quick ? 3 : 5);
          if (!"J".equals(o.only)) {
            System.out.printf(Locale.ROOT, "  warm-up B0: %,.0f events/s%n", runThroughput("B0", eventsFeed, controlFeed, in.commands().size()).rate());
          }
          if (!"B0".equals(o.only)) {
            System.out.printf(Locale.ROOT, "  warm-up J:  %,.0f events/s%n", runThroughput("J", eventsFeed, controlFeed, in.commands().size()).rate());
          }
          o.maxSeconds = keep;
        }
      }
      List<Double> b0 = new ArrayList<>();
      List<Double> cpuB0 = new ArrayList<>();
      List<Double> load = new ArrayList<>();
      List<Variant> sides = new ArrayList<>();
      if (!"J".equals(o.only) && !"B0".equals(o.only)) {
        for (String b : o.baselines) {
          sides.add(new Variant(b, Map.of(), Map.of()));
        }
      }
      sides.add(new Variant("J", Map.of(), Map.of()));
      sides.addAll(o.variants);
      Map<String, List<Double>> jr = new LinkedHashMap<>();
      Map<String, List<Double>> ratios = new LinkedHashMap<>();
      Map<String, List<Double>> cpus = new LinkedHashMap<>();
      Map<String, List<Double>> quietRatios = new LinkedHashMap<>();
      Map<String, long[]> outs = new LinkedHashMap<>();
      for (Variant v : sides) {
        jr.put(v.name(), new ArrayList<>());
        ratios.put(v.name(), new ArrayList<>());
        quietRatios.put(v.name(), new ArrayList<>());
        cpus.put(v.name(), new ArrayList<>());
        outs.put(v.name(), new long[3]);
      }
      for (int pair = 0; pair < o.pairs; pair++) {
        Double rb = null;
        double b0Others = Double.NaN;
        if (!"J".equals(o.only)) {
          Probe pb = runThroughput("B0", eventsFeed, controlFeed, in.commands().size());
          rb = pb.rate();
          b0Others = pb.otherCores();
          b0.add(rb);
          cpuB0.add(pb.cpuMicrosPerEvent());
          load.add(pb.otherCores());
          System.out.printf(Locale.ROOT, "  pair %d B0: %,.0f events/s (%,d events, %.2f CPU µs/event, other processes %.2f cores)%n",
              pair + 1, rb, pb.emitted, pb.cpuMicrosPerEvent(), pb.otherCores());
          printThreads(pb);
        }
        if (!"B0".equals(o.only)) {
          for (Variant v : sides) {
            String kind = v.name().matches("B\\d.*") ? v.name().substring(0, 2) : "J";
            Probe pj = runThroughput(kind, eventsFeed, controlFeed, in.commands().size(), v);
            double rj = pj.rate();
            jr.get(v.name()).add(rj);
            cpus.get(v.name()).add(pj.cpuMicrosPerEvent());
            load.add(pj.otherCores());
            long[] c = outs.get(v.name());
            c[0] += pj.count("grants");
            c[1] += pj.count("rejections");
            c[2] += pj.count("dead-letters");
            if (v.name().equals("J")) {
              jRuns++;
              grantsTotal += pj.count("grants");
            }
            deadTotal += pj.count("dead-letters");
            if (rb != null) {
              ratios.get(v.name()).add(rj / rb);
              if (b0Others < o.quietCores && pj.otherCores() < o.quietCores) {
                quietRatios.get(v.name()).add(rj / rb);
              }
            }
            System.out.printf(Locale.ROOT, "  pair %d %s: %,.0f events/s (%,d events, %.2f CPU µs/event, other processes %.2f cores; "
                + "%,d grants, %,d rejections, %,d dead letters)%n", pair + 1, v.name(), rj, pj.emitted, pj.cpuMicrosPerEvent(),
                pj.otherCores(),
                pj.count("grants"), pj.count("rejections"), pj.count("dead-letters"));
            printThreads(pj);
          }
        }
      }
      Probe.drop(eventsFeed);
      Probe.drop(controlFeed);
      String loads = String.format(Locale.ROOT, " | %.2f–%.2f |", load.stream().mapToDouble(d -> d).min().orElse(Double.NaN),
          load.stream().mapToDouble(d -> d).max().orElse(Double.NaN));
      for (Variant v : sides) {
        List<Double> j = jr.get(v.name());
        long[] c = outs.get(v.name());
        int runs = Math.max(1, j.size());
        line("| " + in.label() + (v.name().equals("J") ? "" : " — **" + v.name() + "**" + (v.name().matches("B\\d.*") ? " (instead of J)" : "")) + " | " + spread(b0, "%,.0f") + " | "
            + spread(j, "%,.0f") + " | " + spread(ratios.get(v.name()), "%.3f")
            + " | " + (quietRatios.get(v.name()).isEmpty() ? "–" : spread(quietRatios.get(v.name()), "%.3f") + " (" + quietRatios.get(v.name()).size() + ")")
            + String.format(Locale.ROOT, " | %.2f · %.2f | %.3f", median(cpuB0), median(cpus.get(v.name())),
                median(cpuB0) / median(cpus.get(v.name())))
            + " | " + fmtCount(c[0] / runs) + " | " + fmtCount(c[1] / runs) + " | " + (c[2] / runs) + loads);
      }
      List<Double> j = jr.get("J");
      List<Double> ratio = ratios.get("J");
      medians.put(p, new double[] {median(b0), median(j), median(ratio)});
      if (Double.isNaN(first)) {
        first = median(j);
        firstRatio = median(ratio);
      }
    }
    if (medians.size() > 1) {
      scaling(medians);
    }
    return first;
  }

  /** Throughput vs campaigns and vs users, as ratios to the smallest case. */
  private void scaling(Map<Point, double[]> m) {
    line("");
    line("### Scaling (ratios of medians to the smallest case of each sweep)");
    line("");
    line("| sweep | case | J events/s (median) | J / J(smallest) | (J/B0) / (J/B0)(smallest) |");
    line("|---|---|---|---|---|");
    sweep("campaigns", m, Comparator.comparingInt(Point::campaigns), p -> p.users() == 100_000 && p.share() == o.shares.get(0),
        p -> p.campaigns() + " campaigns");
    sweep("users", m, Comparator.comparingInt(Point::users), p -> p.campaigns() == 10 && p.share() == o.shares.get(0),
        p -> fmtCount(p.users()) + " users");
    sweep("match share", m, Comparator.comparingDouble(Point::share), p -> p.campaigns() == 10 && p.users() == 100_000,
        p -> Math.round(p.share() * 100) + "% matching");
  }

  private void sweep(String name, Map<Point, double[]> m, Comparator<Point> order, java.util.function.Predicate<Point> in,
      java.util.function.Function<Point, String> label) {
    List<Point> pts = m.keySet().stream().filter(in).sorted(order).toList();
    if (pts.size() < 2) {
      return;
    }
    double[] base = m.get(pts.get(0));
    for (Point p : pts) {
      double[] v = m.get(p);
      line(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.2f | %.2f |", name, label.apply(p), v[1], v[1] / base[1], v[2] / base[2]));
    }
  }

  /** The busiest threads of a run, CPU µs per event (which task is the bottleneck). */
  private static void printThreads(Probe p) {
    StringBuilder sb = new StringBuilder("      CPU µs/event by thread:");
    int n = 0;
    for (Map.Entry<String, Double> e : p.threadCpuPerEvent()) {
      if (n++ == 6) {
        break;
      }
      String name = e.getKey().length() > 48 ? e.getKey().substring(0, 48) + "…" : e.getKey();
      sb.append(String.format(Locale.ROOT, " %s %.2f;", name, e.getValue()));
    }
    System.out.println(sb);
  }

  private Probe runThroughput(String kind, String eventsFeed, String controlFeed, int commands) throws Exception {
    return runThroughput(kind, eventsFeed, controlFeed, commands, new Variant(kind, Map.of(), Map.of()));
  }

  private Probe runThroughput(String kind, String eventsFeed, String controlFeed, int commands, Variant v) throws Exception {
    String id = "run-" + (++seq) + "-" + kind;
    waitQuiet();
    Probe probe = Probe.create(id);
    probe.warmupNanos = (long) (o.warmupSeconds * 1e9);
    probe.maxRunNanos = (long) (o.maxSeconds * 1e9);
    probe.hold = true; // the run ends when the input does: cancelled, not drained through a MAX watermark
    JobConfig cfg = jobConfig(o, id, work);
    for (Map.Entry<String, String> e : v.job().entrySet()) {
      cfg = cfg.with(e.getKey(), e.getValue());
    }
    StreamExecutionEnvironment env = env(cfg, v.flink());
    if (kind.equals("B0")) {
      Pipelines.baseline(env, cfg, eventsFeed, id);
    } else if (kind.equals("B1")) {
      Pipelines.oneReadOneWrite(env, cfg, eventsFeed, id);
    } else if (kind.equals("B2")) {
      Pipelines.bufferedUntilWatermark(env, cfg, eventsFeed, id);
    } else {
      Pipelines.job(env, cfg, eventsFeed, controlFeed, commands, id);
    }
    JobID job = cluster.submit(env, id);
    waitExhausted(job, probe, Duration.ofSeconds((long) (o.maxSeconds * 4 + 120)));
    Thread.sleep(200);
    cluster.cancel(job);
    Probe.drop(id);
    deleteTree(work.resolve("ckpt-" + id));
    return probe;
  }

  /** Waits (at most --quiet-wait seconds) until other processes use less than --quiet-cores. */
  private void waitQuiet() throws InterruptedException {
    if (o.quietWaitSeconds <= 0) {
      return;
    }
    long deadline = System.nanoTime() + (long) (o.quietWaitSeconds * 1e9);
    double others = Double.NaN;
    while (System.nanoTime() < deadline) {
      long b0 = Probe.machineBusyNanos();
      long c0 = Probe.processCpuNanos();
      long t0 = System.nanoTime();
      Thread.sleep(1000);
      others = ((Probe.machineBusyNanos() - b0) - (Probe.processCpuNanos() - c0)) / (double) (System.nanoTime() - t0);
      if (others < o.quietCores) {
        return;
      }
    }
    System.out.printf(Locale.ROOT, "  (still %.2f cores used by other processes after %.0f s; running anyway)%n", others,
        o.quietWaitSeconds);
  }

  private void waitExhausted(JobID job, Probe probe, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!probe.exhausted) {
      Thread.sleep(50);
      JobStatus s = cluster.status(job);
      if (s.isGloballyTerminalState()) {
        cluster.await(job, Duration.ofSeconds(30)); // throws with the cause if it failed
        return;
      }
      if (System.nanoTime() > deadline) {
        cluster.cancel(job);
        throw new IllegalStateException("run " + probe.id + " did not finish its input within " + timeout);
      }
    }
  }

  // ---- latency ----------------------------------------------------------------------------------

  private void latency(double sustainable) throws Exception {
    int rate = (int) Math.max(100, sustainable * o.latencyLoad);
    line("");
    line(String.format(Locale.ROOT, "## Latency: ingestion → grant emission at %.0f%% of J's sustainable rate (%,d events/s, paced)",
        o.latencyLoad * 100, rate));
    line("");
    line(String.format(Locale.ROOT, "Workload of the first throughput row, event ts = wall clock at emission, %.0f s per run, the first %.0f s discarded; "
        + "measured on action-type grants (qualified at their own event's time) from the source's emission of the event to the "
        + "grant sink's write. Floor: an event is judged once the watermark passes it, i.e. after the out-of-orderness bound "
        + "plus up to one watermark interval, plus network buffer time-outs on each shuffle.", o.latencySeconds, latencyWarmup()));
    line("");
    line("| variant | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | grants measured | source behind schedule |");
    line("|---|---|---|---|---|---|---|---|");
    Point p = points().get(0);
    for (String variant : o.latencyVariants) {
      Knobs k = Knobs.parse(variant);
      Map<String, String> jobOpts = k.job();
      Map<String, String> flink = k.flink();
      waitQuiet();
      String id = "lat-" + (++seq);
      int n = (int) (rate * o.latencySeconds);
      long now = System.currentTimeMillis();
      Workload w = new Workload(p.campaigns(), p.users(), p.share(), now, o.eventTimeRate, o.seed, null, o.perUserMax);
      String eventsFeed = id + "-events";
      String controlFeed = id + "-control";
      Probe.putData(eventsFeed, new PacedFeed(w, n, rate));
      Probe.putData(controlFeed, new ArrayFeed(w.commands().toArray(new byte[0][])));
      Probe probe = Probe.create(id);
      probe.emitNanos = new long[n];
      probe.warmupNanos = (long) (latencyWarmup() * 1e9);
      probe.hold = true;
      JobConfig cfg = jobConfig(o, id, work);
      for (Map.Entry<String, String> e : jobOpts.entrySet()) {
        cfg = cfg.with(e.getKey(), e.getValue());
      }
      StreamExecutionEnvironment env = env(cfg, flink);
      Pipelines.job(env, cfg, eventsFeed, controlFeed, w.campaigns, id);
      JobID job = cluster.submit(env, id);
      waitExhausted(job, probe, Duration.ofSeconds((long) (o.latencySeconds * 3 + 120)));
      Thread.sleep(cfg.duration("out-of-orderness").toMillis() + 1000);
      cluster.cancel(job);
      Histogram h = probe.latencyHistogram();
      double behind = (probe.lastEmitNanos - probe.firstEmitNanos) / 1e9 - (n - 1) / (double) rate;
      line(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %,d | %.1f s |", variant,
          h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
          h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0, h.getTotalCount(), Math.max(0, behind)));
      Probe.drop(id);
      Probe.drop(eventsFeed);
      Probe.drop(controlFeed);
      deleteTree(work.resolve("ckpt-" + id));
    }
  }

  private double latencyWarmup() {
    return Math.min(5, o.latencySeconds * 0.3);
  }

  // ---- visibility -------------------------------------------------------------------------------

  private void visibility() throws Exception {
    Point p = points().get(0);
    io.promo.job.it.Broker.bootstrapServers(); // starts the broker (its start-up chatter before the table)
    line("");
    line(String.format(Locale.ROOT, "## Visibility: event → grant visible to a read_committed consumer, real broker, exactly-once "
        + "(paced at %,d events/s)", o.visibilityRate));
    line("");
    line(String.format(Locale.ROOT, "The job with its Kafka sources and sinks (KafkaIo: grants in Kafka transactions committed on "
        + "checkpoints) on this MiniCluster against a KRaft broker in this JVM (the integration tests' Broker), parallelism 1, "
        + "4 partitions per topic. Campaigns of \"%s\" upserted through the control topic; a producer thread sends the "
        + "workload's events at a fixed rate with ts = wall clock at send (acks=all, default linger.ms); a read_committed consumer of "
        + "the grants topic records, per action-type grant (qualified at its trigger event's time), the wall clock when its poll "
        + "returned the grant − the trigger event's ts. Measured on events sent during %.0f s after a warm-up (at least %.0f s, "
        + "and until the first grant is visible); the events keep flowing until grants triggered after the window are visible. "
        + "Also: the same for a read_uncommitted consumer (when the record reached the broker) and the grant's issuedAt − ts "
        + "(emission by the delivery operator). Target: p99 ≤ checkpoint interval + 1 s.",
        p.label(), o.visibilitySeconds, o.visibilityWarmupSeconds));
    line("");
    line("| variant | checkpoint interval | out-of-orderness | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | grants measured "
        + "| target p99 ≤ interval + 1 s | other processes' CPU (cores) |");
    line("|---|---|---|---|---|---|---|---|---|---|---|");
    List<String> details = new ArrayList<>();
    for (String variant : o.visibilityVariants) {
      Knobs k = Knobs.parse(variant);
      waitQuiet();
      String id = "vis-" + (++seq);
      JobConfig cfg = jobConfig(o, id, work);
      for (Map.Entry<String, String> e : k.job().entrySet()) {
        cfg = cfg.with(e.getKey(), e.getValue());
      }
      cfg = Visibility.onBroker(cfg, "bench-" + id + "-" + Long.toString(System.nanoTime() & 0xFFFFFF, 36));
      long now = System.currentTimeMillis();
      Workload w = new Workload(p.campaigns(), p.users(), p.share(), now, o.eventTimeRate, o.seed, null, o.perUserMax);
      Visibility.Result r = Visibility.run(cluster, env(cfg, k.flink()),
          new Visibility.Run(cfg, w, o.visibilityRate, o.visibilitySeconds, o.visibilityWarmupSeconds));
      Duration interval = cfg.duration("checkpoint.interval");
      long target = interval.toMillis() + 1000;
      Histogram h = r.committed();
      visibilityGrants += h.getTotalCount();
      deadTotal += r.deadLetters();
      String label = variant + (k.flink().isEmpty() ? "" : " " + k.flink());
      line(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %d | %d | %,d | %,d ms: **%s** | %.2f |", label,
          cfg.get("checkpoint.interval"), cfg.get("out-of-orderness"),
          h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
          h.getMaxValue(), h.getTotalCount(), target,
          h.getTotalCount() == 0 ? "no data" : h.getValueAtPercentile(99) <= target ? "met" : "not met", r.otherCores()));
      Histogram u = r.uncommitted();
      Histogram em = r.emission();
      details.add(String.format(Locale.ROOT, "| %s | %d / %d | %d / %d | %d / %d | %d, %d failed | %.0f / %d | %,d | %.0f ms | %d "
          + "| %.2f | %.1f s%s |", label,
          em.getValueAtPercentile(50), em.getValueAtPercentile(99), u.getValueAtPercentile(50), u.getValueAtPercentile(99),
          h.getValueAtPercentile(50), h.getValueAtPercentile(99), r.checkpointsCompleted(), r.checkpointsFailed(),
          r.checkpointP50Ms(), r.checkpointMaxMs(), r.eventsInWindow(), r.behindMaxMs(), r.deadLetters(), r.jvmCores(),
          r.warmupSeconds(), r.complete() ? "" : " (**incomplete**: not every grant of the window was seen)"));
      deleteTree(work.resolve("ckpt-" + id));
    }
    line("");
    line("Where it comes from: emission (the grant's issuedAt − ts), then the record on the broker (read_uncommitted), then "
        + "visible (read_committed, after the checkpoint that follows the emission completes and its transaction commits). "
        + "Checkpoint durations are end to end (trigger → last acknowledgement), over the whole run.");
    line("");
    line("| variant | emission p50 / p99 ms | read_uncommitted p50 / p99 ms | read_committed p50 / p99 ms "
        + "| checkpoints completed in the window | checkpoint duration p50 / max ms | events sent in the window | producer behind schedule (max) | dead letters "
        + "| this JVM's CPU (cores; job, broker and clients) | warm-up |");
    line("|---|---|---|---|---|---|---|---|---|---|---|");
    details.forEach(this::line);
  }

  // ---- state ------------------------------------------------------------------------------------

  private void state() throws Exception {
    line("");
    line("## State: RocksDB bytes of the user evaluator");
    line("");
    line("Measured on J with the source held open after its input (no end-of-input flush), once the watermark has passed every "
        + "event: a canonical savepoint (the live keys and values in Flink's format: what the state really holds) and a full "
        + "native checkpoint (RocksDB SST files as they are, compressed, including versions not yet compacted away). "
        + "Sizes are of the \"Evaluate users\" task (value state and its timers).");
    line("");
    line("| case | users with state | savepoint bytes | per user | full checkpoint bytes | per user |");
    line("|---|---|---|---|---|---|");
    int users = o.stateUsers;
    long now = System.currentTimeMillis();
    // A: one event per user that no campaign listens to; B: the same users, each leaving one
    // pending inaction window (thenNot within P1D, never due during the run).
    long t0 = now - 2 * 3_600_000L;
    Workload one = new Workload(1, users, 0, t0, 1000, o.seed, null, o.perUserMax);
    String thenNot = "{\"id\":\"bench-state\",\"name\":\"state\",\"createdBy\":\"bench\",\"qualification\":{\"kind\":\"LIVE\","
        + "\"trigger\":{\"on\":{\"event\":\"add_to_cart\",\"where\":[{\"prop\":\"amount\",\"op\":\"gte\",\"value\":50}]},"
        + "\"thenNot\":{\"event\":\"checkout\"},\"within\":\"P1D\"}},\"reward\":{\"type\":\"WALLET_POINTS\",\"points\":10},"
        + "\"schedule\":{\"start\":" + (t0 - 3_600_000L) + "}}";
    List<byte[]> cmds = List.of(one.upsert("bench-state-upsert", thenNot));
    long[] a = stateRun("A: 1 event per user, no campaign progress", singleEvents(users, t0, "view", now), cmds, users);
    long[] b = stateRun("B: A + 1 pending inaction window per user", singleEvents(users, t0, "add_to_cart", now), cmds, users);
    // C: the throughput workload's traffic, a few hours of it.
    Point p = points().get(0);
    int n = o.stateMixEvents;
    long tMix = now - (long) n * 1000L / o.eventTimeRate - 3 * 3_600_000L;
    Workload mix = new Workload(p.campaigns(), p.users(), p.share(), tMix, o.eventTimeRate, o.seed, null, o.perUserMax);
    byte[][] ev = Arrays.copyOf(mix.events(n), n + 1);
    ev[n] = sentinel(now);
    long touched = distinctUsers(mix, n);
    long[] c = stateRun("C: " + fmtCount(n) + " events of \"" + p.label() + "\"", ev, mix.commands(), touched);
    bytesPerWindow = (b[0] - a[0]) / (double) users;
    line("");
    line(String.format(Locale.ROOT, "Per pending inaction window (B − A) / users: **%.0f bytes** in the savepoint, %.0f bytes in the full checkpoint.",
        (b[0] - a[0]) / (double) users, (b[1] - a[1]) / (double) users));
  }

  private long distinctUsers(Workload w, int n) {
    java.util.BitSet seen = new java.util.BitSet(w.users);
    for (int i = 0; i < n; i++) {
      String s = new String(w.event(i), StandardCharsets.UTF_8);
      int at = s.indexOf("\"userId\":\"u") + 11;
      seen.set(Integer.parseInt(s, at, s.indexOf('"', at), 10));
    }
    return seen.cardinality();
  }

  /** One event per user, user i at t0 + i ms, then a sentinel that moves the watermark past them. */
  private static byte[][] singleEvents(int users, long t0, String name, long now) {
    byte[][] out = new byte[users + 1][];
    for (int i = 0; i < users; i++) {
      out[i] = ("{\"eventId\":\"s" + i + "\",\"userId\":\"u" + i + "\",\"name\":\"" + name + "\",\"ts\":" + (t0 + i)
          + ",\"props\":{\"amount\":100,\"sku\":\"sku-0\"}}").getBytes(StandardCharsets.UTF_8);
    }
    out[users] = sentinel(now);
    return out;
  }

  private static byte[] sentinel(long now) {
    return ("{\"eventId\":\"sentinel\",\"userId\":\"u-sentinel\",\"name\":\"sentinel\",\"ts\":" + (now - 60_000L) + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Returns {savepoint bytes, full checkpoint bytes} of the evaluator. */
  private long[] stateRun(String label, byte[][] events, List<byte[]> commands, long users) throws Exception {
    waitQuiet();
    String id = "state-" + (++seq);
    Probe.putData(id + "-events", new ArrayFeed(events));
    Probe.putData(id + "-control", new ArrayFeed(commands.toArray(new byte[0][])));
    Probe probe = Probe.create(id);
    probe.hold = true;
    JobConfig cfg = jobConfig(o, id, work);
    StreamExecutionEnvironment env = env(cfg, Map.of());
    Pipelines.job(env, cfg, id + "-events", id + "-control", commands.size(), id);
    JobID job = cluster.submit(env, id);
    waitExhausted(job, probe, Duration.ofMinutes(10));
    Thread.sleep(3000); // the sentinel's watermark reaches the evaluator; due timers fire
    String sp = cluster.savepoint(job, work.resolve("sp-" + id).toUri().toString());
    long spFiles = treeSize(Paths.get(java.net.URI.create(sp.startsWith("file:") ? sp : "file://" + sp)));
    try {
      cluster.fullCheckpoint(job);
    } catch (Exception e) {
      System.out.println("  (full checkpoint failed: " + e.getMessage() + ")");
    }
    AccessExecutionGraph g = cluster.graph(job);
    CompletedCheckpointStats spStats = g.getCheckpointStatsSnapshot().getHistory().getLatestSavepoint();
    CompletedCheckpointStats ckStats = g.getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
    long spBytes = spStats == null ? -1 : Cluster.vertexStateSize(g, spStats, "Evaluate users");
    long ckBytes = ckStats == null ? -1 : Cluster.vertexStateSize(g, ckStats, "Evaluate users");
    cluster.cancel(job);
    line(String.format(Locale.ROOT, "| %s | %s | %,d | %.0f | %,d | %.0f |", label, fmtCount(users), spBytes,
        spBytes / (double) users, ckBytes, ckBytes / (double) users));
    System.out.printf(Locale.ROOT, "  (whole savepoint on disk: %,d bytes; whole full checkpoint: %,d bytes)%n", spFiles,
        ckStats == null ? -1 : ckStats.getStateSize());
    Probe.drop(id);
    Probe.drop(id + "-events");
    Probe.drop(id + "-control");
    deleteTree(work.resolve("ckpt-" + id));
    deleteTree(work.resolve("sp-" + id));
    return new long[] {spBytes, ckBytes};
  }

  // ---- feeds ------------------------------------------------------------------------------------

  /** Pre-serialized records. */
  record ArrayFeed(byte[][] records) implements IndexSource.Feed {
    @Override
    public long size() {
      return records.length;
    }

    @Override
    public byte[] bytes(long index, long nowMillis) {
      return records[(int) index];
    }
  }

  /** Generated at emission time, event ts = now, at a fixed rate. */
  record PacedFeed(Workload w, long n, double rate) implements IndexSource.Feed {
    @Override
    public long size() {
      return n;
    }

    @Override
    public byte[] bytes(long index, long nowMillis) {
      return w.event(index, nowMillis);
    }

    @Override
    public long dueNanos(long index) {
      return (long) (index * 1e9 / rate);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  static double median(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = xs.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static String spread(List<Double> xs, String fmt) {
    if (xs.isEmpty()) {
      return "–";
    }
    double min = xs.stream().mapToDouble(d -> d).min().orElse(Double.NaN);
    double max = xs.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
    return String.format(Locale.ROOT, fmt + " [" + fmt + "–" + fmt + "]", median(xs), min, max);
  }

  static String fmtCount(long n) {
    if (n >= 1_000_000 && n % 100_000 == 0) {
      return (n % 1_000_000 == 0 ? String.valueOf(n / 1_000_000) : String.valueOf(n / 1e6)) + "M";
    }
    if (n >= 10_000 && n % 1000 == 0) {
      return (n / 1000) + "K";
    }
    return String.format(Locale.ROOT, "%,d", n);
  }

  static long treeSize(Path p) {
    if (!Files.exists(p)) {
      return -1;
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }

  private static void writeEvents(Options o) throws IOException {
    Point p = new Point(o.campaigns.get(0), o.users.get(0), o.shares.get(0));
    long span = (long) o.writeEventsCount * 1000L / o.eventTimeRate;
    Workload w = new Workload(p.campaigns(), p.users(), p.share(), System.currentTimeMillis() - span - 60_000L,
        o.eventTimeRate, o.seed, null, o.perUserMax);
    Path events = Paths.get(o.writeEvents);
    try (var out = Files.newOutputStream(events)) {
      for (int i = 0; i < o.writeEventsCount; i++) {
        out.write(w.event(i));
        out.write('\n');
      }
    }
    Path campaigns = Paths.get(o.writeEvents + ".campaigns.jsonl");
    List<String> lines = new ArrayList<>();
    for (int c = 0; c < w.campaigns; c++) {
      lines.add(w.campaignJson(c));
    }
    Files.write(campaigns, lines, StandardCharsets.UTF_8);
    System.out.println("wrote " + o.writeEventsCount + " events of \"" + p.label() + "\" to " + events + " and its "
        + w.campaigns + " campaigns to " + campaigns);
  }
}
