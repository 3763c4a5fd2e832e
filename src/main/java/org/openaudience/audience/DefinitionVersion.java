package org.openaudience.audience;

import java.time.Instant;
import org.openaudience.criteria.Definition;

/** One saved version of an audience's definition, with who saved it and when. */
public record DefinitionVersion(int version, Definition definition, String savedBy, Instant savedAt) {
}
