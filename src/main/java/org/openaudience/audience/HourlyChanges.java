package org.openaudience.audience;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Adds and drops of an audience per hour, for the Changes tab's chart: {@code adds[i]} and {@code drops[i]} happened
 * in the hour starting at {@code start} plus i hours (UTC); the last hour is the current one.
 */
public record HourlyChanges(Instant start, long[] adds, long[] drops) {

    public static final int HOURS = 7 * 24;

    public HourlyChanges {
        if (adds.length != drops.length) {
            throw new IllegalArgumentException("One count of adds and one of drops per hour");
        }
        adds = adds.clone();
        drops = drops.clone();
    }

    public int hours() {
        return adds.length;
    }

    /** The start of hour {@code index}. */
    public Instant hour(int index) {
        return start.plus(Duration.ofHours(index));
    }

    /** The end of the last hour: changes at or after it are not in the chart. */
    public Instant end() {
        return hour(hours());
    }

    /** The hour's index for a moment in the chart's range, or -1 when outside it. */
    public int indexOf(Instant at) {
        if (at.isBefore(start) || !at.isBefore(end())) {
            return -1;
        }
        return (int) Duration.between(start, at).toHours();
    }

    /** A copy with more changes counted in the hour of {@code at}; the same when {@code at} is outside the range. */
    public HourlyChanges plus(Instant at, long moreAdds, long moreDrops) {
        int index = indexOf(at);
        if (index < 0) {
            return this;
        }
        long[] a = adds.clone();
        long[] d = drops.clone();
        a[index] += moreAdds;
        d[index] += moreDrops;
        return new HourlyChanges(start, a, d);
    }

    public long totalAdds() {
        return Arrays.stream(adds).sum();
    }

    public long totalDrops() {
        return Arrays.stream(drops).sum();
    }

    public long adds(int index) {
        return adds[index];
    }

    public long drops(int index) {
        return drops[index];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HourlyChanges that && start.equals(that.start) && Arrays.equals(adds, that.adds)
                && Arrays.equals(drops, that.drops);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * start.hashCode() + Arrays.hashCode(adds)) + Arrays.hashCode(drops);
    }

    @Override
    public String toString() {
        return "HourlyChanges[start=" + start + ", adds=" + totalAdds() + ", drops=" + totalDrops() + "]";
    }
}
