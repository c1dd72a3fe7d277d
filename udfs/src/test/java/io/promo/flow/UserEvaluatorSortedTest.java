package io.promo.flow;

/**
 * Every scenario of {@link UserEvaluatorTest} on the job's running path: events pass an {@link
 * EventSorter} and are judged on arrival by an evaluator whose watermark has moved.
 */
class UserEvaluatorSortedTest extends UserEvaluatorTest {
  @Override
  boolean sorted() {
    return true;
  }
}
