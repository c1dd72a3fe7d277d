package io.promo.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** When a quiet partition's event time may follow the wall clock: only once found at its end. */
class PartitionClockTest {
  private static final long BOUND = 2_000;
  private static final long QUIET = 2_000;
  private static final long WALL = 1_800_000_000_000L;
  private static final long T = WALL - 3_600_000; // history: an hour old

  private final List<Long> asked = new ArrayList<>();
  private CompletableFuture<Boolean> answer = CompletableFuture.completedFuture(true);
  private final PartitionClock clock = new PartitionClock(BOUND, QUIET, next -> {
    asked.add(next);
    return answer;
  });

  private void event(long offset, long ts, long now) {
    clock.onRecord(offset);
    clock.onEvent(ts, now);
  }

  private long tickAt(long now) {
    clock.tick(now);
    return clock.watermark(now);
  }

  @Test
  void quietButBehindKeepsItsEventsTimeAndAsksAgainOncePerQuietPeriod() {
    answer = CompletableFuture.completedFuture(false);
    event(41, T, WALL);
    assertThat(tickAt(WALL + QUIET - 1)).isEqualTo(T - BOUND - 1);
    assertThat(asked).as("not quiet yet: nothing asked").isEmpty();
    assertThat(tickAt(WALL + QUIET)).isEqualTo(T - BOUND - 1);
    assertThat(asked).containsExactly(42L);
    for (long now = WALL + QUIET + 100; now < WALL + 2 * QUIET; now += 100) {
      assertThat(tickAt(now)).isEqualTo(T - BOUND - 1);
    }
    assertThat(asked).as("at most once per quiet period").containsExactly(42L);
    assertThat(tickAt(WALL + 2 * QUIET)).isEqualTo(T - BOUND - 1);
    assertThat(asked).containsExactly(42L, 42L);
    assertThat(clock.followsWallClock()).isFalse();
  }

  @Test
  void quietAndCaughtUpFollowsTheWallClockWithoutAskingAgain() {
    event(7, T, WALL);
    assertThat(tickAt(WALL + QUIET)).isEqualTo(WALL + QUIET - BOUND - 1);
    assertThat(tickAt(WALL + 10 * QUIET)).isEqualTo(WALL + 10 * QUIET - BOUND - 1);
    assertThat(asked).containsExactly(8L);
    // The next event ends the quiet spell: back to the events' own time until quiet and caught up again.
    event(8, T + 1, WALL + 10 * QUIET);
    assertThat(tickAt(WALL + 11 * QUIET - 1)).isEqualTo(T + 1 - BOUND - 1);
    assertThat(tickAt(WALL + 11 * QUIET)).isEqualTo(WALL + 11 * QUIET - BOUND - 1);
    assertThat(asked).containsExactly(8L, 9L);
  }

  @Test
  void aLookupThatFailsCountsAsCaughtUp() {
    answer = CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));
    event(0, T, WALL);
    assertThat(tickAt(WALL + QUIET)).isEqualTo(WALL + QUIET - BOUND - 1);
  }

  @Test
  void aLookupThatThrowsCountsAsCaughtUp() {
    PartitionClock throwing = new PartitionClock(BOUND, QUIET, next -> {
      throw new IllegalStateException("cannot even ask");
    });
    throwing.onRecord(0);
    throwing.onEvent(T, WALL);
    throwing.tick(WALL + QUIET);
    assertThat(throwing.watermark(WALL + QUIET)).isEqualTo(WALL + QUIET - BOUND - 1);
  }

  @Test
  void aLateAnswerIsTakenWhenItComesAndNoOtherQuestionIsAskedMeanwhile() {
    answer = new CompletableFuture<>();
    event(0, T, WALL);
    for (long now = WALL + QUIET; now < WALL + 5 * QUIET; now += 500) {
      assertThat(tickAt(now)).isEqualTo(T - BOUND - 1);
    }
    assertThat(asked).as("one question in flight at a time").containsExactly(1L);
    answer.complete(true);
    assertThat(clock.watermark(WALL + 5 * QUIET)).as("taken on the next tick, not before").isEqualTo(T - BOUND - 1);
    assertThat(tickAt(WALL + 5 * QUIET)).isEqualTo(WALL + 5 * QUIET - BOUND - 1);
  }

  @Test
  void anEventMakesTheAnswerInFlightMoot() {
    CompletableFuture<Boolean> first = new CompletableFuture<>();
    answer = first;
    event(0, T, WALL);
    tickAt(WALL + QUIET);
    event(1, T + 1, WALL + QUIET + 10); // the backlog moves on
    first.complete(true); // "caught up at 1": no longer true
    assertThat(tickAt(WALL + QUIET + 20)).isEqualTo(T + 1 - BOUND - 1);
    answer = CompletableFuture.completedFuture(false);
    assertThat(tickAt(WALL + 2 * QUIET + 10)).isEqualTo(T + 1 - BOUND - 1);
    assertThat(asked).containsExactly(1L, 2L);
  }

  @Test
  void recordsThatAreNoEventsMoveTheOffsetAskedButNotTheQuiet() {
    event(10, T, WALL);
    clock.onRecord(11); // unreadable, say
    clock.onRecord(12);
    assertThat(tickAt(WALL + QUIET)).isEqualTo(WALL + QUIET - BOUND - 1);
    assertThat(asked).containsExactly(13L);
  }

  @Test
  void nothingIsAskedWhileEventsFlowNorBeforeTheFirst() {
    assertThat(tickAt(WALL + 100 * QUIET)).isEqualTo(Long.MIN_VALUE);
    for (int i = 0; i < 100; i++) {
      event(i, T + i, WALL + i * (QUIET / 2));
      tickAt(WALL + i * (QUIET / 2) + QUIET / 4);
    }
    assertThat(asked).isEmpty();
  }
}
