package org.openaudience.profile;

import java.util.Map;

/** What a batch says about who its user is: an MPID, and/or identities and device ids by type. */
public record IdentityClaim(Long mpid, Map<String, String> identities) {
}
