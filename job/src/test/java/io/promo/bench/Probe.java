package io.promo.bench;

import io.promo.model.Grant;
import io.promo.model.TriggerRef;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one benchmark run's source and sinks report back to the driver. The MiniCluster runs in
 * the driver's JVM, so operators find their probe (and their input data) by id in a static map
 * instead of shipping it inside the job graph.
 */
final class Probe {
  private static final Map<String, Probe> PROBES = new ConcurrentHashMap<>();
  private static final Map<String, Object> DATA = new ConcurrentHashMap<>();

  static Probe create(String id) {
    Probe p = new Probe(id);
    PROBES.put(id, p);
    return p;
  }

  static Probe get(String id) {
    Probe p = PROBES.get(id);
    if (p == null) {
      throw new IllegalStateException("no probe " + id + " (the bench only runs on an in-JVM MiniCluster)");
    }
    return p;
  }

  static void putData(String id, Object data) {
    DATA.put(id, data);
  }

  @SuppressWarnings("unchecked")
  static <T> T data(String id) {
    Object d = DATA.get(id);
    if (d == null) {
      throw new IllegalStateException("no data " + id);
    }
    return (T) d;
  }

  static void drop(String id) {
    PROBES.remove(id);
    DATA.remove(id);
  }

  final String id;

  // ---- source side (written by the one source reader thread, read by the driver) -------------
  /** Stop emitting this many nanoseconds after the first event (0 = run through the input). */
  volatile long maxRunNanos;
  /** Measurement starts this long after the first event (JIT warm-up). */
  volatile long warmupNanos;
  /** Keep the source open after the input is exhausted until {@link #release()} (no MAX watermark). */
  volatile boolean hold;
  final CompletableFuture<Void> released = new CompletableFuture<>();
  /** Emission time per event index (latency runs only). */
  volatile long[] emitNanos;

  volatile long firstEmitNanos;
  volatile long markNanos;
  volatile long markCount = -1;
  volatile long lastEmitNanos;
  volatile long emitted;
  volatile long exhaustedNanos;
  volatile boolean exhausted;
  /** Process CPU time (all threads: tasks, RocksDB, GC) at the warm-up mark and at the end. */
  volatile long markCpuNanos = -1;
  volatile long endCpuNanos = -1;
  /** 1-minute load average of the machine at the warm-up mark and at the end. */
  volatile double markLoad = Double.NaN;
  volatile double endLoad = Double.NaN;

  // ---- sink side --------------------------------------------------------------------------------
  final Map<String, LongAdder> records = new ConcurrentHashMap<>();
  final Map<String, LongAdder> bytes = new ConcurrentHashMap<>();
  final Recorder latency = new Recorder(3_600_000_000L, 3);
  final LongAdder latencySkipped = new LongAdder();
  volatile long lastSinkNanos;

  private Probe(String id) {
    this.id = id;
  }

  void release() {
    released.complete(null);
  }

  void sunk(String sink, int size) {
    records.computeIfAbsent(sink, k -> new LongAdder()).increment();
    bytes.computeIfAbsent(sink, k -> new LongAdder()).add(size);
    lastSinkNanos = System.nanoTime();
  }

  long count(String sink) {
    LongAdder a = records.get(sink);
    return a == null ? 0 : a.sum();
  }

  /**
   * Records ingestion → grant-emission latency of a grant whose trigger event was emitted by a
   * paced source of this run (event ids are "e" + index). Only action-type grants (qualified at
   * the trigger event's time) are measured: an inaction grant is due long after its event.
   */
  void grant(Grant g) {
    long[] at = emitNanos;
    TriggerRef t = g.trigger();
    if (at == null || t == null || t.ts() != g.qualifiedAt() || t.eventId() == null || !t.eventId().startsWith("e")) {
      return;
    }
    int idx;
    try {
      idx = Integer.parseInt(t.eventId(), 1, t.eventId().length(), 10);
    } catch (NumberFormatException e) {
      return;
    }
    if (idx < 0 || idx >= at.length || at[idx] == 0) {
      return;
    }
    if (at[idx] - firstEmitNanos < warmupNanos) {
      latencySkipped.increment();
      return;
    }
    long micros = (System.nanoTime() - at[idx]) / 1000;
    latency.recordValue(Math.max(0, Math.min(micros, 3_600_000_000L)));
  }

  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  /** Busy CPU time of the whole machine so far, in nanoseconds (from /proc/stat), or -1. */
  static long machineBusyNanos() {
    try {
      String first = java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return (total - idle) * 10_000_000L; // USER_HZ = 100
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * CPU (in cores) that other processes of the machine used during the measured window: the
   * machine's busy time less this JVM's. On a shared machine this says how disturbed a run was.
   */
  double otherCores() {
    if (markBusy < 0 || endBusy < 0 || markCpuNanos < 0 || endCpuNanos < 0 || exhaustedNanos <= markNanos) {
      return Double.NaN;
    }
    double others = (endBusy - markBusy) - (endCpuNanos - markCpuNanos);
    return Math.max(0, others / (double) (exhaustedNanos - markNanos));
  }

  volatile long markBusy = -1;
  volatile long endBusy = -1;

  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** CPU nanoseconds per thread group (thread name without digits) at the mark and at the end. */
  volatile Map<String, Long> markThreads;
  volatile Map<String, Long> endThreads;

  static Map<String, Long> threadCpu() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long cpu = mx.getThreadCpuTime(t.getThreadId());
      if (cpu > 0) {
        out.merge(t.getThreadName().replaceAll("\\d+", "N").replaceAll(" \\(N/N\\)#N$", ""), cpu, Long::sum);
      }
    }
    return out;
  }

  /** The busiest thread groups between mark and end: name → CPU µs per event, highest first. */
  java.util.List<Map.Entry<String, Double>> threadCpuPerEvent() {
    long count = emitted - Math.max(0, markCount);
    if (markThreads == null || endThreads == null || count <= 0) {
      return java.util.List.of();
    }
    java.util.List<Map.Entry<String, Double>> out = new java.util.ArrayList<>();
    endThreads.forEach((k, v) -> {
      double us = (v - markThreads.getOrDefault(k, 0L)) / 1000.0 / count;
      if (us > 0.01) {
        out.add(Map.entry(k, us));
      }
    });
    out.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    return out;
  }

  void markNow(long now, long count) {
    markThreads = threadCpu();
    markNanos = now;
    markCpuNanos = processCpuNanos();
    markBusy = machineBusyNanos();
    markLoad = loadAverage();
    markCount = count;
  }

  void endNow(long now) {
    endThreads = threadCpu();
    lastEmitNanos = now;
    exhaustedNanos = now;
    endCpuNanos = processCpuNanos();
    endBusy = machineBusyNanos();
    endLoad = loadAverage();
    exhausted = true;
  }

  /** CPU time of the whole process per event after warm-up, in microseconds. */
  double cpuMicrosPerEvent() {
    long count = emitted - Math.max(0, markCount);
    if (markCpuNanos < 0 || endCpuNanos < 0 || count <= 0) {
      return Double.NaN;
    }
    return (endCpuNanos - markCpuNanos) / 1000.0 / count;
  }

  Histogram latencyHistogram() {
    return latency.getIntervalHistogram();
  }

  /** Events per second emitted after warm-up (the source runs at the pace of the slowest operator). */
  double rate() {
    long count = emitted - Math.max(0, markCount);
    long from = markCount >= 0 ? markNanos : firstEmitNanos;
    long nanos = lastEmitNanos - from;
    return nanos <= 0 ? Double.NaN : count * 1e9 / nanos;
  }
}
