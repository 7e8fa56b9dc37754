package dev.weft.internal.core;

import dev.weft.internal.proto.Msg;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** The job code a driver registers: its class path entries and the JVM options of its workers. */
final class JobCodes {
  private JobCodes() {}

  /** {@code classpath}'s entries as they lie on this machine, their content not yet hashed. */
  static Msg.JobCode ofPaths(String classpath, List<String> jvmOptions) {
    List<Msg.CodeEntry> entries = new ArrayList<>();
    for (String p : classpath.split(File.pathSeparator, -1)) {
      entries.add(new Msg.CodeEntry(p, "", 0)); // empty ones too: the joined path is the same
    }
    return new Msg.JobCode(entries, List.copyOf(jvmOptions));
  }
}
