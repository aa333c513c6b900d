package io.github.herokupipeline.demo;

import io.github.herokupipeline.demo.Demo.Bar;
import io.github.herokupipeline.demo.Demo.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Flows on one time axis: as a text Gantt chart for the terminal, and as an SVG picture. */
final class Timeline {

    private static final int TEXT_WIDTH = 60;
    private static final int LABEL_WIDTH = 44;

    private Timeline() {}

    static List<String> text(List<Flow> flows) {
        double axis = axis(flows);
        double perColumn = axis / TEXT_WIDTH;
        List<String> lines = new ArrayList<>();
        lines.add("Timeline, seconds since the first Maven run started (= Maven and tests, # Heroku builds;"
                + " one column = " + format(perColumn) + " s)");
        lines.add(" ".repeat(LABEL_WIDTH) + ticks(axis));
        for (Flow flow : flows) {
            lines.add(String.format(Locale.ROOT, "%s: %.1f s", flow.name(), flow.total()));
            for (Bar bar : flow.bars()) {
                char[] row = " ".repeat(TEXT_WIDTH).toCharArray();
                int from = (int) Math.floor(bar.start() / perColumn);
                int to = Math.max(from + 1, (int) Math.ceil(bar.end() / perColumn));
                for (int i = from; i < Math.min(to, TEXT_WIDTH); i++) {
                    row[i] = bar.heroku() ? '#' : '=';
                }
                lines.add(String.format(Locale.ROOT, "%-" + LABEL_WIDTH + "s|%s|", bar.label(),
                        new String(row)));
            }
        }
        return lines;
    }

    /** Labels every 10 seconds above the text chart. */
    private static String ticks(double axis) {
        StringBuilder ticks = new StringBuilder(" ".repeat(TEXT_WIDTH + 2));
        for (int second = 0; second <= axis; second += 10) {
            int column = 1 + (int) Math.round(second / axis * TEXT_WIDTH);
            String label = second + "s";
            for (int i = 0; i < label.length() && column + i < ticks.length(); i++) {
                ticks.setCharAt(column + i, label.charAt(i));
            }
        }
        return ticks.toString().stripTrailing();
    }

    static String svg(List<Flow> flows) {
        double axis = axis(flows);
        int label = 330;
        int chart = 600;
        int row = 22;
        int rows = flows.stream().mapToInt(f -> f.bars().size() + 1).sum();
        int height = 60 + rows * row + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"13\">%n", label + chart + 50, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Commit"
                + " to production, measured end to end</text>%n"));
        for (int second = 0; second <= axis; second += 5) {
            double x = label + second / axis * chart;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"40\" x2=\"%.1f\" y2=\"%d\""
                    + " stroke=\"#ddd\"/><text x=\"%.1f\" y=\"52\" fill=\"#666\">%ds</text>%n", x, x, height - 30,
                    x + 2, second));
        }
        int y = 60;
        for (Flow flow : flows) {
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s: %.1f s</text>%n",
                    y + 15, escape(flow.name()), flow.total()));
            y += row;
            for (Bar bar : flow.bars()) {
                String color = bar.heroku() ? "#79589f" : bar.label().strip().equals("tests") ? "#5aa469"
                        : "#4a78c2";
                double x = label + bar.start() / axis * chart;
                double width = Math.max(2, (bar.end() - bar.start()) / axis * chart);
                svg.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%d\">%s</text>"
                        + "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"14\" rx=\"3\" fill=\"%s\"/>%n", y + 15,
                        escape(bar.label().strip()), x, y + 4, width, color));
                y += row;
            }
        }
        if (flows.size() == 2) {
            Flow before = flows.get(0);
            Flow after = flows.get(1);
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%.1f s %s, %.1f s %s: %.2fx faster, %.1f s"
                    + " saved per commit</text>%n", height - 10, before.total(), escape(before.name()),
                    after.total(), escape(after.name()), before.total() / after.total(),
                    before.total() - after.total()));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double axis(List<Flow> flows) {
        double longest = flows.stream().mapToDouble(Flow::total).max().orElse(1);
        return Math.ceil(longest / 5) * 5;
    }

    private static String format(double seconds) {
        return String.format(Locale.ROOT, "%.2f", seconds);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
