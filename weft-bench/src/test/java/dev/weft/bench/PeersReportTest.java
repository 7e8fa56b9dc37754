package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.bench.peers.RunSpec;
import dev.weft.bench.peers.Workloads;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeersReportTest {
  private static PeersRun.Cell cell(double... rounds) {
    PeersRun.Cell c = new PeersRun.Cell();
    for (double r : rounds) {
      c.rounds.add(new double[] {r});
    }
    return c;
  }

  private static PeersReport report(Map<String, Map<String, PeersRun.Cell>> cells) {
    PeersRun.Options o =
        new PeersRun.Options(
            false,
            3,
            1,
            Path.of("peers"),
            null,
            null,
            new RunSpec(Workloads.TASKS_SYNC, 1000, 10_000, 256L << 20, 1, 3, 1, 60, 0),
            null,
            Path.of("x.json"),
            null,
            "weft bench --peers");
    Map<String, String> systems = new LinkedHashMap<>();
    systems.put("weft", "Weft test");
    systems.put("hazelcast", "Hazelcast 5.7.0");
    systems.put("ignite", "Apache Ignite 2.18.0");
    systems.put("tcp", "loopback TCP");
    return new PeersReport(
        Instant.parse("2026-11-21T00:00:00Z"),
        new PeersReport.Machine(2, "Test CPU", 24L << 30, "Linux", "JDK 25", 0.5),
        0.7,
        o,
        systems,
        Map.of(),
        cells);
  }

  @Test
  void rows_ratioOfMedians_verdictAgainstIssue4Targets() {
    Map<String, Map<String, PeersRun.Cell>> cells = new LinkedHashMap<>();
    Map<String, PeersRun.Cell> sync = new LinkedHashMap<>();
    sync.put("weft", cell(10_000, 30_000, 20_000));
    sync.put("hazelcast", cell(5_000, 4_000, 6_000));
    PeersRun.Cell failed = new PeersRun.Cell();
    failed.error = "boom";
    sync.put("ignite", failed);
    cells.put(Workloads.TASKS_SYNC, sync);
    Map<String, PeersRun.Cell> large = new LinkedHashMap<>();
    large.put("weft", cell(1e9));
    large.put("tcp", cell(2e9));
    cells.put(Workloads.LARGE, large);

    List<PeersReport.Row> rows = report(cells).rows();

    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).ratio()).isEqualTo(4.0);
    assertThat(rows.get(0).verdict()).isEqualTo("met");
    assertThat(rows.get(0).worstRatio()).isEqualTo(10_000.0 / 6_000);
    assertThat(rows.get(1).ratio()).isNull();
    assertThat(rows.get(1).verdict()).isEqualTo("-");
    assertThat(rows.get(2).ratio()).isEqualTo(0.5);
    assertThat(rows.get(2).verdict()).isEqualTo("MISSED");
    String table = report(cells).table();
    assertThat(table)
        .contains(
            "| tasks_sync ",
            "20.00k tasks/s",
            "5.00k tasks/s",
            "4.00×",
            "≥ 2×",
            "FAILED",
            "large_object (256 MiB)",
            "1.00 GB/s",
            "2.00 GB/s",
            "0.50×",
            "≥ 0.8×",
            "MISSED");
    String json = report(cells).json();
    assertThat(json)
        .contains(
            "\"weft_over_peer\": 4",
            "\"verdict\": \"MISSED\"",
            "\"error\": \"boom\"",
            "\"cpu\": \"Test CPU\"");
  }

  @Test
  void targets_areIssue4sAndIssue8s() {
    assertThat(PeersReport.target(Workloads.DAG, "hazelcast")).isEqualTo(2.0);
    assertThat(PeersReport.target(Workloads.TASKS_ASYNC, "ignite")).isEqualTo(2.0);
    assertThat(PeersReport.target(Workloads.ACTOR_SYNC, "pekko")).isEqualTo(1.0);
    assertThat(PeersReport.target(Workloads.LARGE, "tcp")).isEqualTo(0.8);
    assertThat(PeersReport.target(Workloads.LARGE_VIEW, "tcp")).isEqualTo(1.0);
    assertThat(PeersReport.target(Workloads.TASKS_SYNC, "tcp")).isEqualTo(0.5);
    assertThat(PeersReport.target(Workloads.ACTOR_SYNC, "tcp")).isEqualTo(0.5);
    assertThat(PeersReport.target(Workloads.TASKS_ASYNC, "tcp")).isNull();
    assertThat(PeersReport.target(Workloads.LARGE, "pekko")).isNull();
  }

  @Test
  void markdown_replacesOnlyTheMarkedSection() {
    String doc =
        "# Title\nkeep\n" + PeersReport.BEGIN + " -->\nold table\n" + PeersReport.END + "\nafter\n";
    String section = report(new LinkedHashMap<>()).markdown();
    String out = PeersReport.replaceSection(doc, section);
    assertThat(out)
        .startsWith("# Title\nkeep\n")
        .endsWith("\nafter\n")
        .doesNotContain("old table")
        .contains(
            "Command: `weft bench --peers`",
            "2 cores (Test CPU), 24.0 GiB",
            "1 warm-up round(s) not counted, then 3 rounds");
    assertThat(PeersReport.replaceSection(out, section)).isEqualTo(out); // idempotent
    assertThatThrownBy(() -> PeersReport.replaceSection("no markers", section))
        .hasMessageContaining("no '" + PeersReport.BEGIN);
  }

  @Test
  void median_andFormats() {
    assertThat(PeersReport.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(PeersReport.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    assertThat(PeersReport.median(new double[0])).isNaN();
    assertThat(PeersReport.formatValue(2.5e9, "B/s")).isEqualTo("2.50 GB/s");
    assertThat(PeersReport.formatValue(640e6, "B/s")).isEqualTo("640.0 MB/s");
    assertThat(PeersReport.formatValue(12_300, "tasks/s")).isEqualTo("12.30k tasks/s");
    assertThat(PeersReport.formatBytes(1L << 30)).isEqualTo("1 GiB");
    assertThat(PeersReport.formatBytes(256L << 20)).isEqualTo("256 MiB");
  }
}
