package io.zkrollup.benchmarks.prove;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The bench report's PNG plots (XChart). */
final class ReportPlots {

  static final String PROVE_TIME = "prove-time-vs-constraints.png";
  static final String THROUGHPUT = "throughput-vs-workers.png";

  private ReportPlots() {}

  static void write(List<CaseResult> cases, Path dir) throws IOException {
    List<CaseResult> ran = cases.stream().filter(CaseResult::ran).toList();
    if (ran.isEmpty()) {
      return;
    }
    XYChart prove = new XYChartBuilder().width(800).height(500).title("Median prove time against circuit size").xAxisTitle("constraints (millions)").yAxisTitle("prove time (s)").build();
    Map<String, List<CaseResult>> byBackend = new LinkedHashMap<>();
    for (CaseResult c : ran) {
      byBackend.computeIfAbsent(c.backend(), b -> new ArrayList<>()).add(c);
    }
    for (Map.Entry<String, List<CaseResult>> e : byBackend.entrySet()) {
      List<CaseResult> sorted = e.getValue().stream().sorted((a, b) -> Long.compare(a.constraints(), b.constraints())).toList();
      add(prove, e.getKey() + " (JNI)", sorted.stream().map(c -> c.constraints() / 1e6).toList(), sorted.stream().map(c -> c.jni().wall().median() / 1000).toList());
      add(prove, e.getKey() + " (pure Go)", sorted.stream().map(c -> c.constraints() / 1e6).toList(), sorted.stream().map(c -> c.go().wall().median() / 1000).toList());
    }
    style(prove, "#,##0.0");
    prove.getStyler().setXAxisDecimalPattern("#,##0.00");
    BitmapEncoder.saveBitmap(prove, dir.resolve(PROVE_TIME).toString(), BitmapEncoder.BitmapFormat.PNG);

    XYChart throughput = new XYChartBuilder().width(800).height(500).title("Throughput against workers on this machine").xAxisTitle("workers").yAxisTitle("proofs per hour").build();
    for (CaseResult c : ran) {
      add(
          throughput,
          c.backend() + " B=" + c.slots() + " D=" + c.depth(),
          c.workers().stream().map(w -> (double) w.workers()).toList(),
          c.workers().stream().map(WorkerPoint::proofsPerHour).toList());
    }
    style(throughput, "#,##0");
    throughput.getStyler().setXAxisDecimalPattern("0");
    BitmapEncoder.saveBitmap(throughput, dir.resolve(THROUGHPUT).toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Axes from zero (ratios read true), plain numbers, the legend inside. */
  private static void style(XYChart chart, String yPattern) {
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern(yPattern);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
  }

  private static void add(XYChart chart, String name, List<Double> x, List<Double> y) {
    chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
  }
}
