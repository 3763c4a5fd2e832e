package org.openaudience.profile;

import java.time.Instant;

/**
 * Batches of profile {@code claimantMpid} named an identity that profile {@code ownerMpid} holds; the identity stayed
 * with its owner.
 *
 * @param occurrences how many requests named it so far
 */
public record IdentityConflict(long claimantMpid, String identityType, String identityValue, long ownerMpid,
                               long occurrences, Instant firstSeen, Instant lastSeen) {
}
