package org.openaudience.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One page of a list: the items from {@code offset}, at most {@code limit} of them, out of {@code total}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PageOf<T>(List<T> items, @Schema(example = "0") int offset, @Schema(example = "50") int limit,
                        @Schema(example = "123") long total) {

    public static final int MAX_LIMIT = 200;
    public static final String DEFAULT_LIMIT = "50";

    /** The page's limit checked: 1 to {@link #MAX_LIMIT}; the offset 0 or more. */
    public static void check(int offset, int limit) {
        if (offset < 0) {
            throw new org.openaudience.base.InvalidRequestException("offset", "offset must be 0 or more.");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new org.openaudience.base.InvalidRequestException("limit", "limit must be between 1 and "
                    + MAX_LIMIT + ".");
        }
    }
}
