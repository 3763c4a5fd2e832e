package org.openaudience.profile;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.openaudience.event.StoredEvent;

/**
 * One end user as Users › Lookup shows them.
 *
 * @param userAttributes attribute values: text as it is, numbers, booleans and lists as JSON
 * @param latestEvents   newest first
 * @param identityConflicts identities this user's batches named that another profile holds, or that this user holds
 *                          and another's batches named; newest first
 */
public record Profile(long mpid, Map<String, String> identities, Map<String, String> userAttributes,
                      Map<String, String> deviceInfo, List<String> platforms, String country, String region,
                      String city, Double latitude, Double longitude, Instant firstSeen, Instant lastSeen,
                      List<StoredEvent> latestEvents, List<IdentityConflict> identityConflicts) {
}
