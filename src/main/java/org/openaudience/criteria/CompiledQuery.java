package org.openaudience.criteria;

import java.util.List;

/** MariaDB SQL returning the qualifying MPIDs (column {@code mpid}), with its positional parameters. */
public record CompiledQuery(String sql, List<Object> parameters) {
}
