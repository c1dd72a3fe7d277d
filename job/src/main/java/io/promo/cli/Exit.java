package io.promo.cli;

/** promoctl's exit codes (docs/promoctl.md). */
public final class Exit {
  private Exit() {}

  /** Done (and, with --wait, confirmed by the job). */
  public static final int OK = 0;
  /** Invalid input, or the job rejected the command (COMMAND_REJECTED, DUPLICATE_CODES). */
  public static final int REJECTED = 1;
  /** Bad command line: unknown option, missing argument, unreadable file. */
  public static final int USAGE = 2;
  /** The Kafka cluster cannot be reached. */
  public static final int UNREACHABLE = 3;
  /** The command was sent but the job did not confirm it within --timeout. */
  public static final int NOT_CONFIRMED = 4;
}
