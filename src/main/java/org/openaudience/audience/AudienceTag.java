package org.openaudience.audience;

import org.springframework.data.relational.core.mapping.Table;

/** A free-form label on an audience (at most 18 characters), used to filter the list. */
@Table("audience_tag")
public record AudienceTag(String tag) {
}
