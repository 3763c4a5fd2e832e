package org.openaudience.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * What one batch changes on a resolved profile.
 *
 * @param attributePatch     JSON merge patch of user attributes: a null value deletes the attribute
 * @param identitiesSet      identities the profile has now (by type)
 * @param identitiesRemoved  identities the profile no longer has (by type, old value)
 * @param platform           the platform the batch came from, or null for feeds
 */
public record ProfileChange(long mpid, Instant firstSeen, Instant lastSeen, ObjectNode attributePatch,
                            Map<String, String> identitiesSet, Map<String, String> identitiesRemoved,
                            ObjectNode deviceInfo, String platform, Double latitude, Double longitude) {
}
