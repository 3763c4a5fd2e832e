package org.openaudience.output;

import java.util.List;
import org.openaudience.profile.Identity;

/** One line of a membership message: a member added or removed, with the chosen identities. */
public record MemberUpdate(long mpid, List<Identity> identities, boolean added, long timestampMs) {

    public String action() {
        return added ? "add" : "remove";
    }
}
