package io.promo.bench;

import io.promo.json.EventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --events FILE}: a JSON-lines file of contract Events replayed instead of the generator
 * (the same bytes can be fed to another engine). Campaigns come from {@code --campaigns-file}
 * (JSON lines of Campaign objects), or else the generator's mix over the file's 50 commonest
 * event names, matching {@code amount >= 50}. Either way they are upserted an hour before the
 * file's earliest event.
 */
final class Replay {
  private Replay() {}

  static Bench.Input load(Bench.Options o, Bench.Point p) throws IOException {
    List<byte[]> lines = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    long minTs = Long.MAX_VALUE;
    int bad = 0;
    for (String line : Files.readAllLines(Paths.get(o.eventsFile), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      lines.add(b);
      EventCodec.Result r = EventCodec.parse(b);
      if (r.event() == null) {
        bad++;
        continue;
      }
      minTs = Math.min(minTs, r.event().ts());
      names.merge(r.event().name(), 1, Integer::sum);
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(o.eventsFile + " has no events");
    }
    List<String> top = names.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(Workload.NAMES).map(Map.Entry::getKey).toList();
    Workload w = new Workload(p.campaigns(), 1, 0, minTs == Long.MAX_VALUE ? System.currentTimeMillis() : minTs,
        o.eventTimeRate, o.seed, top.isEmpty() ? null : top, o.perUserMax);
    w.skuCondition = false;
    List<byte[]> commands = o.campaignsFile != null ? campaigns(o, w) : w.commands();
    String label = o.eventsFile + " (" + Bench.fmtCount(lines.size()) + " events" + (bad > 0 ? ", " + bad + " invalid" : "")
        + "), " + commands.size() + " campaigns";
    return new Bench.Input(lines.toArray(new byte[0][]), commands, label);
  }

  /** The campaigns of --campaigns-file as upserts in force before the events. */
  static List<byte[]> campaigns(Bench.Options o, Workload w) throws IOException {
    List<byte[]> out = new ArrayList<>();
    int i = 0;
    for (String line : Files.readAllLines(Paths.get(o.campaignsFile), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(w.upsert("bench-file-upsert-" + (i++), line.trim()));
      }
    }
    return out;
  }
}
