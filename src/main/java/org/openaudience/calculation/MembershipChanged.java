package org.openaudience.calculation;

/**
 * Published inside a transaction that wrote entries of an audience's membership change log (a calculation's swap, a
 * real-time step, a sweep chunk). Listen with {@code @TransactionalEventListener} to hear only of committed changes,
 * and return at once: the writer's thread (calculation, real time) runs the listener.
 */
public record MembershipChanged(long audienceId) {
}
