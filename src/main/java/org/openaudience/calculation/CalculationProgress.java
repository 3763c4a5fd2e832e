package org.openaudience.calculation;

/**
 * Where an audience's membership stands.
 *
 * @param size        members of the complete generation that outputs and downloads see
 * @param calculating true while a calculation runs; then {@code bucketsDone}/{@code bucketsTotal} is its real
 *                    progress and {@code calculatingSize} the members found so far
 */
public record CalculationProgress(long size, boolean calculating, int bucketsDone, int bucketsTotal,
                                  long calculatingSize, String lastError) {

    public static final CalculationProgress NEVER = new CalculationProgress(0, false, 0, 0, 0, null);

    public int percent() {
        return bucketsTotal == 0 ? 100 : bucketsDone * 100 / bucketsTotal;
    }
}
