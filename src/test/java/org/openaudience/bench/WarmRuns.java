package org.openaudience.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * How many warm runs each benchmark figure takes, and their median: on a 2-core machine one run moves by ±25 % (the
 * seventh machine: (1)'s warm runs 492–964 ms in one benchmark), so a ratio of two single runs can move by half.
 * {@code -Dbench.repeat} (default 5; 3 until the seventh pass) runs after one untimed warm-up.
 */
final class WarmRuns {

    /** A timed run, in milliseconds. */
    @FunctionalInterface
    interface Timed {
        double millis() throws Exception;
    }

    /** Milliseconds of each warm run, in order. */
    record Figures(List<Double> millis) {

        double median() {
            List<Double> sorted = millis.stream().sorted().toList();
            int middle = sorted.size() / 2;
            return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        }

        double min() {
            return millis.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double max() {
            return millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            return String.format("median %.0f ms (%.0f–%.0f over %d)", median(), min(), max(), millis.size());
        }
    }

    private WarmRuns() {
    }

    static int repeat() {
        return Math.max(1, Integer.getInteger("bench.repeat", 5));
    }

    /** One untimed warm-up, then {@link #repeat()} timed runs. */
    static Figures of(Timed run) throws Exception {
        return of(run, repeat());
    }

    /** One untimed warm-up, then {@code runs} timed runs. */
    static Figures of(Timed run, int runs) throws Exception {
        run.millis();
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            millis.add(run.millis());
        }
        return new Figures(millis);
    }
}
