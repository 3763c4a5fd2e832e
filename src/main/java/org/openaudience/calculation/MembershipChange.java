package org.openaudience.calculation;

import java.time.Instant;

/** One entry of an audience's membership change log: a profile joined (add) or left (remove) the complete membership. */
public record MembershipChange(long id, long mpid, boolean added, Instant changedAt) {
}
