package dev.weft.it;

import dev.weft.Weft;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One cluster for the tests of a class tagged {@link #TAG} (tests that only make actors and objects
 * of their own and break nothing): started before the first of them, kept between them, since a
 * cluster's start and stop cost seconds each. Every other test starts from no cluster, makes its
 * own, and has it stopped after. Register it with {@code @RegisterExtension static final}, and
 * order the tagged tests first ({@code @Order}) so that the shared cluster starts once.
 */
final class SharedCluster implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  static final String TAG = "shared-cluster";

  private final Runnable start;

  /** {@code start} starts Weft in this JVM (the shared cluster). */
  SharedCluster(Runnable start) {
    this.start = start;
  }

  private static boolean shared(ExtensionContext context) {
    return context.getTags().contains(TAG);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!shared(context)) {
      Weft.shutdown(); // the shared cluster, after the last test that used it
    } else if (!Weft.isInitialized()) {
      start.run();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!shared(context)) {
      Weft.shutdown();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Weft.shutdown();
  }
}
