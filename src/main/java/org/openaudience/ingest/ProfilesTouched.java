package org.openaudience.ingest;

import java.util.Set;

/** Published after an ingest transaction committed: these profiles of the workspace have new data. */
public record ProfilesTouched(long workspaceId, Set<Long> mpids) {
}
