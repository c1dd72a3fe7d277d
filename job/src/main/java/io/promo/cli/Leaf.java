package io.promo.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Plumbing shared by the commands that do the work: global options, output streams. */
abstract class Leaf {
  @Spec CommandSpec spec;

  PromoCtl root() {
    return PromoCtl.of(spec);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
