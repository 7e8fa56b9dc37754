package dev.weft.spi;

import dev.weft.WeftConfig;

/** Found with {@link java.util.ServiceLoader}; starts or connects a runtime for this process. */
public interface RuntimeFactory {
  RuntimeBackend start(WeftConfig config);
}
