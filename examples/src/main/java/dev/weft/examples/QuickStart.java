package dev.weft.examples;

import dev.weft.*;

public class QuickStart {
  public static int square(int x) {
    return x * x;
  }

  public static int add(int a, int b) {
    return a + b;
  }

  public static class Counter {
    private long n;

    public Counter(long start) {
      n = start;
    }

    public long add(long d) {
      n += d;
      return n;
    }
  }

  public static void main(String[] args) {
    Weft.init(); // a local cluster, or $WEFT_ADDRESS
    ObjectRef<Integer> a = Weft.task(QuickStart::square, 3).remote(); // returns a future at once
    ObjectRef<Integer> b = Weft.task(QuickStart::add, a, 4).remote(); // a future as an argument
    System.out.println("square(3) + 4 = " + Weft.get(b)); // 13

    ActorHandle<Counter> c = Weft.actor(Counter::new, 10L).remote(); // a stateful actor
    c.task(Counter::add, 5L).remote(); // calls run in order
    System.out.println("counter = " + Weft.get(c.task(Counter::add, 1L).remote())); // 16
    Weft.shutdown();
  }
}
