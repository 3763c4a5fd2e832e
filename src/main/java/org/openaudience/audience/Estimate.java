package org.openaudience.audience;

import java.util.Map;

/**
 * An estimated audience size from a fixed sample of the workspace's profiles.
 *
 * @param total        the whole definition
 * @param perCriterion each criterion on its own, by its path ("1", "2.1", …)
 */
public record Estimate(Value total, Map<String, Value> perCriterion) {

    /**
     * @param size      estimated members in the whole workspace
     * @param tooSmall  fewer than {@link AudienceEstimates#MIN_SAMPLE_MATCHES} matches in the sample: shown as "~"
     * @param sampled   profiles in the sample
     */
    public record Value(long size, boolean tooSmall, long sampled, int samplePercent) {
    }
}
