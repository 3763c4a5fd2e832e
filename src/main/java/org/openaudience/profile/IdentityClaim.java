package org.openaudience.profile;

import java.util.Map;

/**
 * What a batch says about who its user is.
 *
 * @param mpid       the MPID the batch names, or null
 * @param identities the batch's identities and device ids by type: they decide the profile
 * @param changedTo  identities the batch's {@code user_identity_change} events give the user: claimed for the
 *                   profile, but they do not decide which profile it is
 */
public record IdentityClaim(Long mpid, Map<String, String> identities, Map<String, String> changedTo) {
}
