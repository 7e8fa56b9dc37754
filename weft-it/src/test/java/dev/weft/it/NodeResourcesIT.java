package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ActorDiedException;
import dev.weft.ActorHandle;
import dev.weft.GetTimeoutException;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.WeftConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node's resources on a real embedded cluster of 2 CPUs and 1 GPU (declared, so it runs on any
 * machine): actors hold their CPUs until they are gone and wait for room, killed actors (whatever
 * their state) give their CPUs back, and GPU and memory demands are scheduled.
 */
@ExtendWith(ClusterSupport.Logs.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NodeResourcesIT {
  static final Duration LONG = Duration.ofSeconds(60);

  @BeforeAll
  static void start() {
    ClusterSupport.start(NodeResourcesIT.class, WeftConfig.builder().numCpus(2).numGpus(1));
  }

  @AfterAll
  static void stop() {
    Weft.shutdown();
  }

  public static class Probe {
    public Probe() {}

    public long pid() {
      return ProcessHandle.current().pid();
    }
  }

  public static String cudaVisibleDevices() {
    return String.valueOf(System.getenv("CUDA_VISIBLE_DEVICES"));
  }

  public static int two() {
    return 2;
  }

  private static ActorHandle<Probe> cpuActor() {
    return Weft.actor(Probe::new).cpus(1).remote();
  }

  private static long pid(ActorHandle<Probe> a, Duration timeout) {
    return Weft.get(a.task(Probe::pid).remote(), timeout);
  }

  @Test
  void shouldGiveCpusBackWhenActorsAreKilledAndMakeTheNextActorWaitForRoom() {
    for (int i = 0; i < 6; i++) {
      ActorHandle<Probe> a = cpuActor();
      assertThat(pid(a, LONG)).isPositive();
      a.kill();
    }
    ActorHandle<Probe> first = cpuActor();
    ActorHandle<Probe> second = cpuActor();
    assertThat(pid(first, LONG)).isPositive();
    assertThat(pid(second, LONG)).isPositive();

    ActorHandle<Probe> third = cpuActor();
    ObjectRef<Long> thirdPid = third.task(Probe::pid).remote();
    // both CPUs are held: the third actor waits at the node (it must not oversubscribe)
    assertThatThrownBy(() -> Weft.get(thirdPid, Duration.ofSeconds(3)))
        .isInstanceOf(GetTimeoutException.class);

    first.kill();
    assertThat(Weft.get(thirdPid, LONG)).as("the third starts once a CPU is free").isPositive();
    second.kill();
    third.kill();
    assertThat(Weft.get(Weft.task(NodeResourcesIT::two).cpus(2).remote(), LONG))
        .as("every killed actor gave its CPU back")
        .isEqualTo(2);
  }

  @Test
  void shouldNeverStartAnActorKilledWhileItWaitedForRoom() {
    List<ActorHandle<Probe>> running = new ArrayList<>(List.of(cpuActor(), cpuActor()));
    for (ActorHandle<Probe> a : running) {
      assertThat(pid(a, LONG)).isPositive();
    }
    ActorHandle<Probe> waiting = cpuActor();
    ObjectRef<Long> call = waiting.task(Probe::pid).remote();
    waiting.kill(); // while it waits for a CPU
    assertThatThrownBy(() -> Weft.get(call, LONG)).isInstanceOf(ActorDiedException.class);

    running.get(0).kill();
    // the killed actor did not take the CPU that came free: a task gets it
    assertThat(Weft.get(Weft.task(NodeResourcesIT::two).cpus(1).remote(), LONG)).isEqualTo(2);
    running.get(1).kill();
    assertThat(Weft.get(Weft.task(NodeResourcesIT::two).cpus(2).remote(), LONG)).isEqualTo(2);
  }

  @Test
  void shouldRunAGpuTaskWithCudaVisibleDevicesAndAMemoryTask() {
    assertThat(Weft.get(Weft.task(NodeResourcesIT::cudaVisibleDevices).gpus(1).remote(), LONG))
        .isEqualTo("0");
    assertThat(Weft.get(Weft.task(NodeResourcesIT::two).memoryBytes(64L << 20).remote(), LONG))
        .isEqualTo(2);
  }
}
