package io.promo.cli;

/** A failure with its exit code and an operator-readable message (printed without a stack trace). */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  static CliException invalid(String message) {
    return new CliException(Exit.REJECTED, message);
  }

  static CliException usage(String message) {
    return new CliException(Exit.USAGE, message);
  }
}
