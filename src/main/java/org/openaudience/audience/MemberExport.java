package org.openaudience.audience;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A member download being prepared in the background, then ready as a ZIP of CSVs and {@code manifest.json}.
 *
 * @param rows     members written so far; {@code expected} is the audience's size when the export started
 * @param file     the ZIP once {@code ready}
 */
public record MemberExport(String id, long audienceId, String fileName, List<String> identityTypes, long rows,
                           long expected, boolean ready, String error, Path file, Instant startedAt) {

    public int percent() {
        return ready ? 100 : expected == 0 ? 0 : (int) Math.min(99, rows * 100 / expected);
    }
}
