package io.promo.flow;

import io.promo.lang.Segment;

/** Evaluates a segment against what the evaluator knows of a user. */
public final class Segments {
  private Segments() {}

  public static boolean test(Segment s, UserState u) {
    if (s instanceof Segment.All all) {
      for (Segment x : all.of()) {
        if (!test(x, u)) {
          return false;
        }
      }
      return true;
    }
    if (s instanceof Segment.Any any) {
      for (Segment x : any.of()) {
        if (test(x, u)) {
          return true;
        }
      }
      return false;
    }
    if (s instanceof Segment.Not not) {
      return !test(not.of(), u);
    }
    if (s instanceof Segment.Profile p) {
      return p.cond().test(u.profile.get(p.cond().prop()));
    }
    if (s instanceof Segment.InList l) {
      return u.lists.contains(l.list());
    }
    throw new IllegalStateException(
        "history segment " + s + " reached evaluation; the parser refuses those in this release");
  }
}
