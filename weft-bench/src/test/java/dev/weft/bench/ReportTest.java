package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void formatRate_scalesWithSuffix() {
    assertThat(Report.formatRate(980)).isEqualTo("980.0");
    assertThat(Report.formatRate(8000)).isEqualTo("8.00k");
    assertThat(Report.formatRate(8700)).isEqualTo("8.70k");
    assertThat(Report.formatRate(1_500_000)).isEqualTo("1.50M");
    assertThat(Report.formatRate(0.25)).isEqualTo("0.3");
  }

  @Test
  void formatMeanStd_stddevOnTheMeansScale() {
    assertThat(Report.formatMeanStd(12_345, 120)).isEqualTo("12.35k ± 0.12k");
    assertThat(Report.formatMeanStd(512.34, 3.21)).isEqualTo("512.3 ± 3.2");
  }

  @Test
  void table_okFailedAndReference_oneAlignedRowEachPlusRayCaveat() {
    List<BenchResult> results =
        List.of(
            BenchResult.ok(
                "single_client_tasks_sync", "tasks/s", new double[] {1000, 1200}, 980.0, Map.of()),
            BenchResult.ok(
                "single_client_put_calls", "puts/s", new double[] {2e6, 2e6}, null, Map.of()),
            BenchResult.failed(
                "1_1_actor_calls_sync", "calls/s", 2000.0, Map.of(), "actor 0 returned 3\n\tat x"),
            BenchResult.ok("init_to_first_result_ms", "ms", new double[] {1234.5}, null, Map.of()));

    String table = Report.table(results);
    List<String> lines = table.lines().toList();

    assertThat(lines).hasSize(7);
    assertThat(lines.get(0)).startsWith("benchmark ").contains("Ray 2.48 reference*");
    assertThat(lines.get(1)).matches("-+");
    assertThat(lines.get(2))
        .startsWith("single_client_tasks_sync")
        .contains("1.10k ± 0.10k tasks/s")
        .endsWith("980.0 tasks/s");
    assertThat(lines.get(3)).contains("2.00M ± 0.00M puts/s").endsWith("-");
    assertThat(lines.get(4))
        .contains("FAILED: actor 0 returned 3")
        .doesNotContain("at x")
        .endsWith("2.00k calls/s");
    assertThat(lines.get(5)).contains(" 1234.5 ms ").doesNotContain("±");
    assertThat(lines.get(6))
        .contains("64-vCPU m5.16xlarge")
        .contains("not measured on this machine");
    // columns line up: every result column starts at the same offset
    int col = lines.get(2).indexOf("1.10k");
    assertThat(lines.get(3).indexOf("2.00M")).isEqualTo(col);
    assertThat(lines.get(4).indexOf("FAILED")).isEqualTo(col);
  }

  @Test
  void json_runInfoAndResults_documentWithMachineAndPerBenchmarkFields() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("quick", true);
    settings.put("trials", 2);
    Report.RunInfo info =
        new Report.RunInfo(
            Instant.parse("2025-01-02T03:04:05Z"),
            16,
            "Temurin 25",
            "Linux 6.1 amd64",
            1L << 30,
            "embedded",
            settings);
    List<BenchResult> results =
        List.of(
            BenchResult.ok(
                "single_client_tasks_sync", "tasks/s", new double[] {1000, 1200}, 980.0, Map.of()),
            BenchResult.failed(
                "single_client_get_calls", "gets/s", null, Map.of("batch", 10), "boom \"x\""));

    String json = Report.json(info, results);

    assertThat(json)
        .startsWith("{\n  \"tool\": \"weft-bench\",\n  \"timestamp\": \"2025-01-02T03:04:05Z\",")
        .contains(
            """
              "machine": {
                "cores": 16,
                "jvm": "Temurin 25",
                "os": "Linux 6.1 amd64",
                "max_heap_bytes": 1073741824
              },
              "cluster": "embedded",
              "settings": {
                "quick": true,
                "trials": 2
              },
            """)
        .contains(
            """
                {
                  "name": "single_client_tasks_sync",
                  "unit": "tasks/s",
                  "status": "ok",
                  "mean": 1100,
                  "stddev": 100,
                  "trials": 2,
                  "samples": [1000, 1200],
                  "ray_reference": 980
                },
                {
                  "name": "single_client_get_calls",
                  "unit": "gets/s",
                  "status": "failed",
                  "error": "boom \\"x\\"",
                  "params": {
                    "batch": 10
                  }
                }
            """)
        .contains("\"version\": \"2.48\"")
        .endsWith("}\n");
    assertThat(json.chars().filter(c -> c == '{').count())
        .isEqualTo(json.chars().filter(c -> c == '}').count());
  }
}
