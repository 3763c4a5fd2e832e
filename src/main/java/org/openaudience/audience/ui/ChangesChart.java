package org.openaudience.audience.ui;

import org.openaudience.base.ui.Counts;
import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.openaudience.audience.HourlyChanges;

/**
 * Adds and drops per hour over the last 7 days, drawn on the server as inline SVG: adds rise above the zero line,
 * drops hang below it, days are marked at midnight UTC, each bar names its hour and counts, and a text summary below
 * says the same for people who do not see the chart.
 */
class ChangesChart extends Div {

    static final String TITLE = "Adds and drops per hour, last 7 days (UTC)";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    // the drawing's coordinates: one 4-unit column per hour between the value labels and a small right margin
    private static final int LEFT = 64;
    private static final int HOUR_WIDTH = 4;
    private static final int TOP = 8;
    private static final int HALF = 50;
    private static final int BOTTOM = 24;

    final Svg svg = new Svg();
    final Paragraph summary = new Paragraph();
    private HourlyChanges data;

    ChangesChart() {
        addClassName("changes-chart");
        svg.addClassName("changes-chart-drawing");
        summary.addClassName("changes-chart-summary");
        add(new H4(TITLE), svg, summary);
    }

    HourlyChanges data() {
        return data;
    }

    void show(HourlyChanges hourly) {
        this.data = hourly;
        svg.setSvg(svg(hourly));
        summary.setText(summary(hourly));
    }

    static String summary(HourlyChanges hourly) {
        long adds = hourly.totalAdds();
        long drops = hourly.totalDrops();
        if (adds == 0 && drops == 0) {
            return "No users entered or left the audience in the last 7 days.";
        }
        int busiest = 0;
        for (int i = 1; i < hourly.hours(); i++) {
            if (hourly.adds(i) + hourly.drops(i) > hourly.adds(busiest) + hourly.drops(busiest)) {
                busiest = i;
            }
        }
        int now = hourly.hours() - 1;
        long net = adds - drops;
        return "Last 7 days: " + Counts.of(adds, "add", "adds") + " and " + Counts.of(drops, "drop", "drops")
                + " (net " + (net > 0 ? "+" : net < 0 ? "−" : "") + Counts.number(Math.abs(net)) + "). Busiest hour: "
                + HOUR.format(hourly.hour(busiest)) + " UTC with " + counts(hourly, busiest) + ". This hour so far: "
                + counts(hourly, now) + ".";
    }

    private static String counts(HourlyChanges hourly, int index) {
        return Counts.of(hourly.adds(index), "add", "adds") + " and "
                + Counts.of(hourly.drops(index), "drop", "drops");
    }

    static String svg(HourlyChanges hourly) {
        int width = LEFT + hourly.hours() * HOUR_WIDTH + 8;
        int zero = TOP + HALF;
        int height = TOP + 2 * HALF + BOTTOM;
        long scale = niceCeiling(Math.max(1, max(hourly)));
        StringBuilder out = new StringBuilder();
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"100%\" role=\"img\" aria-label=\"").append(TITLE)
                .append("\" preserveAspectRatio=\"xMinYMin meet\"><title>").append(TITLE).append("</title>");
        // value axis: +scale, 0 and −scale
        text(out, "chart-label", LEFT - 6, TOP + 8, "end", "+" + Counts.number(scale) + " adds");
        text(out, "chart-label", LEFT - 6, zero + 3, "end", "0");
        text(out, "chart-label", LEFT - 6, TOP + 2 * HALF, "end", "−" + Counts.number(scale) + " drops");
        // day marks at midnight UTC
        for (int i = 0; i < hourly.hours(); i++) {
            Instant hour = hourly.hour(i);
            if (hour.atZone(ZoneOffset.UTC).getHour() == 0) {
                int x = LEFT + i * HOUR_WIDTH;
                out.append("<line class=\"chart-grid\" stroke=\"#ccc\" x1=\"").append(x).append("\" x2=\"")
                        .append(x).append("\" y1=\"").append(TOP).append("\" y2=\"").append(TOP + 2 * HALF + 4)
                        .append("\"/>");
                if (i <= hourly.hours() - 10) { // a day that has barely begun has no room for its name
                    text(out, "chart-label", x + 2, height - 6, "start", DAY.format(hour));
                }
            }
        }
        for (int i = 0; i < hourly.hours(); i++) {
            long adds = hourly.adds(i);
            long drops = hourly.drops(i);
            if (adds == 0 && drops == 0) {
                continue;
            }
            int x = LEFT + i * HOUR_WIDTH;
            String title = HOUR.format(hourly.hour(i)) + " UTC: " + counts(hourly, i);
            out.append("<g class=\"chart-hour\"><title>").append(title).append("</title>");
            if (adds > 0) {
                int h = Math.max(1, (int) Math.round((double) adds / scale * HALF));
                bar(out, "chart-add", "#2e7d32", x, zero - h, h);
            }
            if (drops > 0) {
                int h = Math.max(1, (int) Math.round((double) drops / scale * HALF));
                bar(out, "chart-drop", "#c62828", x, zero, h);
            }
            out.append("</g>");
        }
        out.append("<line class=\"chart-axis\" stroke=\"#888\" x1=\"").append(LEFT).append("\" x2=\"")
                .append(width - 8).append("\" y1=\"").append(zero).append("\" y2=\"").append(zero).append("\"/>");
        return out.append("</svg>").toString();
    }

    private static void bar(StringBuilder out, String css, String fill, int x, int y, int height) {
        out.append("<rect class=\"").append(css).append("\" fill=\"").append(fill).append("\" x=\"").append(x)
                .append("\" y=\"").append(y).append("\" width=\"").append(HOUR_WIDTH - 1).append("\" height=\"")
                .append(height).append("\"/>");
    }

    private static void text(StringBuilder out, String css, int x, int y, String anchor, String text) {
        // every text here is built from numbers and fixed words: nothing to escape
        out.append("<text class=\"").append(css).append("\" fill=\"#666\" font-size=\"10\" x=\"").append(x)
                .append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor).append("\">").append(text)
                .append("</text>");
    }

    private static long max(HourlyChanges hourly) {
        long max = 0;
        for (int i = 0; i < hourly.hours(); i++) {
            max = Math.max(max, Math.max(hourly.adds(i), hourly.drops(i)));
        }
        return max;
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above the value, so the axis reads in round numbers. */
    static long niceCeiling(long value) {
        long power = 1;
        while (true) {
            for (long step : new long[] {1, 2, 5}) {
                if (step * power >= value) {
                    return step * power;
                }
            }
            power *= 10;
        }
    }
}
