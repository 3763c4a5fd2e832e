package org.openaudience.criteria;

import java.util.List;

/** Whether a profile is in, and each criterion's verdict with the reason, in tree order. */
public record Verdict(boolean matches, List<CriterionVerdict> criteria) {

    /**
     * @param path   where the criterion sits, e.g. "1", "2.1" (group 2, item 1)
     * @param reason what was found, e.g. "0 matching events in the last 30 days, needs > 0"
     */
    public record CriterionVerdict(String path, Node criterion, boolean matches, String reason) {
    }
}
