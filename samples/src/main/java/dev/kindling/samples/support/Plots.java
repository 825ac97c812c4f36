package dev.kindling.samples.support;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Line charts saved as PNG with XChart, headless ({@code plt.plot(...); plt.savefig(...)}).
 *
 * <pre>{@code
 * Plots.save(path, List.of(Plots.chart("Loss", "epoch", "loss", Map.of("train", losses))));
 * }</pre>
 */
public final class Plots {
    private Plots() {}

    /** A chart with one line per entry of {@code series} (x = 0, 1, 2, ...). */
    public static XYChart chart(String title, String xLabel, String yLabel, Map<String, double[]> series) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(600).height(400).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setXAxisDecimalPattern("#");        // epochs: 1000, not "1,000" run into its neighbours
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        for (var e : series.entrySet()) {
            double[] y = e.getValue();
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) x[i] = i;
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Saves the charts side by side into one PNG file ({@code path} must end in {@code .png}). */
    public static void save(Path path, List<XYChart> charts) {
        String name = path.toString();
        if (!name.endsWith(".png")) throw new IllegalArgumentException("Plots.save: " + path + " must end in .png");
        try {
            BitmapEncoder.saveBitmap(new ArrayList<>(charts), 1, charts.size(), name.substring(0, name.length() - 4), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("Plots.save: cannot write " + path, e);
        }
    }
}
