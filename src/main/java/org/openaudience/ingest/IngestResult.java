package org.openaudience.ingest;

import java.util.List;

/**
 * What a request stored.
 *
 * @param mpids the resolved MPID of each batch, in request order (null for duplicates that were ignored)
 */
public record IngestResult(int acceptedBatches, int duplicateBatches, int events, List<Long> mpids) {
}
