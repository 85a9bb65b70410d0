import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws throughput and p99 against the number of connections, one line per server (app, bare,
 * native), from the load tool's JSON lines ({@code TARGET {json}} per line, as run-sweep.sh and
 * run-macro.sh write them): ping/pong round trips of the echo mode, the median of the runs at each
 * connection count. JDK only:
 *
 * <pre>java scripts/PerfChart.java RESULTS.jsonl [MORE.jsonl ...] OUT.svg</pre>
 */
public final class PerfChart {

    private static final Pattern LINE = Pattern.compile("^(\\S+) (\\{.*\\})\\s*$");
    private static final Map<String, String> COLOURS = Map.of("app", "#1f77b4", "native", "#2ca02c", "bare", "#ff7f0e");

    record Point(double connections, double throughput, double p99) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java scripts/PerfChart.java RESULTS.jsonl [MORE.jsonl ...] OUT.svg");
            System.exit(2);
        }
        Map<String, Map<Double, List<double[]>>> runs = new TreeMap<>();
        for (int i = 0; i < args.length - 1; i++) {
            for (String line : Files.readAllLines(Path.of(args[i]), StandardCharsets.UTF_8)) {
                Matcher m = LINE.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                String json = m.group(2);
                if (!json.contains("\"mode\":\"echo\"") || !json.contains("\"style\":\"ping\"") || !json.contains("\"ok\":true")) {
                    continue;
                }
                runs.computeIfAbsent(m.group(1), k -> new TreeMap<>())
                        .computeIfAbsent(number(json, "connections"), k -> new ArrayList<>())
                        .add(new double[] {number(json, "roundTripsPerSec"), number(json, "p99Ms")});
            }
        }
        if (runs.isEmpty()) {
            System.err.println("no successful echo --style ping results in " + List.of(args).subList(0, args.length - 1));
            System.exit(1);
        }
        Map<String, List<Point>> series = new TreeMap<>();
        runs.forEach((target, byConnections) -> byConnections.forEach((connections, results) -> series
                .computeIfAbsent(target, k -> new ArrayList<>())
                .add(new Point(connections, median(results, 0), median(results, 1)))));
        Files.writeString(Path.of(args[args.length - 1]), svg(series), StandardCharsets.UTF_8);
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + key + " in " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double median(List<double[]> results, int index) {
        List<Double> values = new ArrayList<>();
        results.forEach(r -> values.add(r[index]));
        Collections.sort(values);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    private static String svg(Map<String, List<Point>> series) {
        int panelW = 420;
        int panelH = 260;
        int left = 70;
        int top = 40;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", 2 * (panelW + left) + 40, panelH + top + 90));
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        panel(out, series, left, top, panelW, panelH, "WebSocket ping/pong round trips/s", true);
        panel(out, series, 2 * left + panelW + 20, top, panelW, panelH, "p99 round trip, ms", false);
        int x = left;
        for (String target : series.keySet()) {
            out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, panelH + top + 60, colour(target), x + 20, panelH + top + 66, target));
            x += 110;
        }
        out.append("</svg>\n");
        return out.toString();
    }

    private static void panel(StringBuilder out, Map<String, List<Point>> series, int x0, int y0, int w, int h,
            String title, boolean throughput) {
        double minC = Double.MAX_VALUE;
        double maxC = 0;
        double maxY = 0;
        for (List<Point> points : series.values()) {
            for (Point p : points) {
                minC = Math.min(minC, p.connections());
                maxC = Math.max(maxC, p.connections());
                maxY = Math.max(maxY, throughput ? p.throughput() : p.p99());
            }
        }
        double logMin = Math.log10(minC);
        double logSpan = Math.max(Math.log10(maxC) - logMin, 1e-9);
        double yMax = niceCeiling(maxY);
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x0, y0 - 15, title));
        out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                x0, y0, w, h));
        for (int i = 0; i <= 4; i++) {
            double value = yMax * i / 4;
            int y = (int) Math.round(y0 + h - h * (double) i / 4);
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", x0, y, x0 + w, y, x0 - 6, y + 4, format(value)));
        }
        List<Double> ticks = new ArrayList<>();
        series.values().forEach(points -> points.forEach(p -> {
            if (!ticks.contains(p.connections())) {
                ticks.add(p.connections());
            }
        }));
        for (double c : ticks) {
            int x = xOf(c, x0, w, logMin, logSpan, ticks.size());
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x, y0 + h + 16, format(c)));
        }
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">connections (log scale)</text>%n",
                x0 + w / 2, y0 + h + 34));
        for (Map.Entry<String, List<Point>> s : series.entrySet()) {
            StringBuilder path = new StringBuilder();
            for (Point p : s.getValue()) {
                int x = xOf(p.connections(), x0, w, logMin, logSpan, ticks.size());
                int y = (int) Math.round(y0 + h - h * (throughput ? p.throughput() : p.p99()) / yMax);
                path.append(path.length() == 0 ? "M" : " L").append(x).append(',').append(y);
                out.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"/>%n", x, y, colour(s.getKey())));
            }
            out.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    path, colour(s.getKey())));
        }
    }

    private static int xOf(double connections, int x0, int w, double logMin, double logSpan, int ticks) {
        if (ticks == 1) {
            return x0 + w / 2;
        }
        return (int) Math.round(x0 + 20 + (w - 40) * (Math.log10(connections) - logMin) / logSpan);
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String format(double value) {
        if (value >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String colour(String target) {
        return COLOURS.getOrDefault(target, "#7f7f7f");
    }
}
