package org.openaudience.audit;

import java.time.Instant;
import java.util.Set;

/**
 * Narrows the audit log. Null or empty parts do not filter.
 *
 * @param actions   only these actions
 * @param text      case-insensitive substring of actor, target or detail
 * @param from      inclusive lower bound of the time
 * @param until     exclusive upper bound of the time
 */
public record AuditFilter(Set<AuditAction> actions, String text, Instant from, Instant until) {

    public static AuditFilter none() {
        return new AuditFilter(Set.of(), null, null, null);
    }
}
