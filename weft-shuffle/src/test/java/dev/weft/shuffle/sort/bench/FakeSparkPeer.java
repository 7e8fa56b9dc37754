package dev.weft.shuffle.sort.bench;

/**
 * Stands in for the Spark peer in {@link SparkBaselineTest}, run from a jar in a fake peer folder:
 * {@code -Dfake.mode} picks how it behaves.
 */
public final class FakeSparkPeer {
  private FakeSparkPeer() {}

  public static void main(String[] args) throws Exception {
    switch (System.getProperty("fake.mode", "ok")) {
      case "ok" -> {
        System.err.println("some log line");
        System.out.println(
            "SPARK_SORT {\"records\":42,\"bytes\":4200,\"seconds\":1.5,\"context_seconds\":0.25,"
                + "\"args\":\""
                + String.join(" ", args)
                + "\"}");
      }
      case "fail" -> {
        System.err.println("boom: the input is broken");
        System.exit(3);
      }
      case "silent" -> System.err.println("finished, but said nothing");
      case "hang" -> Thread.sleep(120_000); // a peer that never finishes: the caller kills it
      default -> throw new IllegalArgumentException("fake.mode?");
    }
  }
}
