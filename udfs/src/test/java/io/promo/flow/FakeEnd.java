package io.promo.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A partition end for tests: answers what it is told (caught up, behind, failing, or later by
 * hand) and records every question, so tests see how often and with which offset it was asked.
 */
final class FakeEnd implements PartitionEnd {
  private static final long serialVersionUID = 1L;

  enum Answer { CAUGHT_UP, BEHIND, FAIL, THROW, LATER }

  record Asked(String topic, int partition, long nextOffset) {}

  Answer answer = Answer.CAUGHT_UP;
  final List<Asked> asked = new ArrayList<>();
  final List<CompletableFuture<Boolean>> pending = new ArrayList<>();
  int opened;
  int closed;

  @Override
  public Lookup open() {
    opened++;
    return new Lookup() {
      @Override
      public CompletableFuture<Boolean> caughtUp(String topic, int partition, long nextOffset) {
        asked.add(new Asked(topic, partition, nextOffset));
        return switch (answer) {
          case CAUGHT_UP -> CompletableFuture.completedFuture(true);
          case BEHIND -> CompletableFuture.completedFuture(false);
          case FAIL -> CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));
          case THROW -> throw new IllegalStateException("cannot even ask");
          case LATER -> {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            pending.add(f);
            yield f;
          }
        };
      }

      @Override
      public void close() {
        closed++;
      }
    };
  }

  List<Long> offsetsAsked() {
    return asked.stream().map(Asked::nextOffset).toList();
  }
}
