package dev.weft;

/**
 * The handle {@link Weft#init()} returns. Closing it shuts Weft down in this process, so {@code try
 * (var rt = Weft.init()) { ... }} works.
 */
public final class WeftRuntime implements AutoCloseable {
  private final WeftConfig config;

  WeftRuntime(WeftConfig config) {
    this.config = config;
  }

  public WeftConfig config() {
    return config;
  }

  @Override
  public void close() {
    Weft.shutdown();
  }
}
