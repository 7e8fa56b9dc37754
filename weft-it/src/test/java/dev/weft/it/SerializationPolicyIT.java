package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.WeftConfig;
import java.time.Duration;
import java.util.List;
import org.acme.policy.Listed;
import org.acme.policy.Unlisted;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A job in allow-list mode: its worker JVMs get the driver's policy, so a listed class travels both
 * ways, and a worker refuses to ship a class that is not on the list, with an error that names it.
 */
@ExtendWith(ClusterSupport.Logs.class)
class SerializationPolicyIT {
  private static final Duration T = Duration.ofSeconds(60);

  public static int read(Listed l) {
    return l.n() * 2;
  }

  public static Listed makeListed(int n) {
    return new Listed(n);
  }

  public static Object makeUnlisted(int n) {
    return new Unlisted(n);
  }

  @BeforeAll
  static void startCluster() {
    ClusterSupport.start(
        SerializationPolicyIT.class,
        WeftConfig.builder()
            .numCpus(1)
            .prestartWorkers(1)
            .serializationAllowList(List.of("org.acme.policy.Listed")));
  }

  @AfterAll
  static void stopCluster() {
    Weft.shutdown();
  }

  @Test
  void shouldPassAListedClassToAndFromWorkers() {
    assertThat(Weft.get(Weft.task(SerializationPolicyIT::read, new Listed(21)).remote(), T))
        .isEqualTo(42);
    assertThat(Weft.get(Weft.task(SerializationPolicyIT::makeListed, 5).remote(), T))
        .isEqualTo(new Listed(5));
  }

  /** In deny-list mode (a worker without the driver's policy) this result would travel fine. */
  @Test
  void shouldRefuseAnUnlistedClassInTheWorkerNamingIt() {
    assertThatThrownBy(
            () -> Weft.get(Weft.task(SerializationPolicyIT::makeUnlisted, 3).remote(), T))
        .hasStackTraceContaining("org.acme.policy.Unlisted")
        .hasStackTraceContaining("not on the serialization allow list")
        .hasStackTraceContaining("weft.serialization.allow");
  }

  @Test
  void shouldRefuseAnUnlistedClassInTheDriverBeforeSendingIt() {
    assertThatThrownBy(() -> Weft.put(new Unlisted(1)))
        .hasMessageContaining("org.acme.policy.Unlisted")
        .hasMessageContaining("not on the serialization allow list");
  }
}
