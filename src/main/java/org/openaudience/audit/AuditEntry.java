package org.openaudience.audit;

import java.time.Instant;

/** One line of the audit log: who did what to which target, when and from which address. */
public record AuditEntry(long id, Instant occurredAt, String actor, AuditAction action, String target,
                         String detail, String clientAddress, Long workspaceId) {
}
