package io.promo.lang;

import java.util.List;

/** The "who" of a campaign: a predicate over the user's profile, lists and history. */
public sealed interface Segment {
  record All(List<Segment> of) implements Segment {}

  record Any(List<Segment> of) implements Segment {}

  record Not(Segment of) implements Segment {}

  /** Did M at least {@code atLeast} times in the last {@code inLast} ms. */
  record Did(Match match, long inLast, int atLeast) implements Segment {}

  /** Did not do M in the last {@code inLast} ms. */
  record DidNot(Match match, long inLast) implements Segment {}

  /** The sum of {@code prop} over M in the last {@code inLast} ms is at least {@code atLeast}. */
  record Total(Match match, String prop, long inLast, double atLeast) implements Segment {}

  record Profile(Cond cond) implements Segment {}

  record InList(String list) implements Segment {}
}
