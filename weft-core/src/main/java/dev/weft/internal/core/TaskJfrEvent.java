package dev.weft.internal.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A task or actor call as JDK Flight Recorder sees it (issue 12 item 4): one event per run, with
 * its duration, in the worker that ran it, so that JDK Mission Control shows tasks beside garbage
 * collections and threads. On in any recording that enables {@code dev.weft.Task} (the default and
 * profile settings of JFR record it, with a threshold of 0 ms).
 */
@Name("dev.weft.Task")
@Label("Weft Task")
@Category({"Weft"})
@Description("A task or actor call that this worker ran")
@StackTrace(false)
final class TaskJfrEvent extends Event {
  @Label("Function")
  String function;

  @Label("Task Id")
  String taskId;

  @Label("Job Id")
  int jobId;

  @Label("Status")
  String status;

  @Label("Error")
  String error;
}
