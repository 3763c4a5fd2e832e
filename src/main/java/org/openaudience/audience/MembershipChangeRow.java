package org.openaudience.audience;

import java.time.Instant;
import java.util.List;
import org.openaudience.profile.Identity;

/**
 * One entry of an audience's membership change log as the Changes tab shows it: who entered or left, when, why, and
 * the user's identities as far as the viewer may see them.
 *
 * @param cause            {@code CALCULATION}, {@code REALTIME} or {@code EXPIRY}
 * @param identities       the profile's identities, customer id and email first; values are {@link #HIDDEN} when
 *                         {@code identitiesHidden}
 * @param identitiesHidden true for roles that may not look up users (Read Only): identity types only, and no link to
 *                         Users › Lookup
 */
public record MembershipChangeRow(long id, Instant changedAt, long mpid, boolean added, String cause,
                                  List<Identity> identities, boolean identitiesHidden) {

    /** What roles without Users › Lookup see instead of an identity value, as in the Live Stream. */
    public static final String HIDDEN = "hidden for your role";

    public MembershipChangeRow {
        identities = List.copyOf(identities);
    }

    /** This row as a role without Users › Lookup may see it: identity types stay, values are {@link #HIDDEN}. */
    public MembershipChangeRow withoutIdentities() {
        return new MembershipChangeRow(id, changedAt, mpid, added, cause,
                identities.stream().map(identity -> new Identity(identity.type(), HIDDEN)).distinct().toList(), true);
    }

    /** What made the change: "real time" (new data), "expiry" (time passing) or "calculation". */
    public String causeLabel() {
        return switch (cause) {
            case "REALTIME" -> "real time";
            case "EXPIRY" -> "expiry";
            case "CALCULATION" -> "calculation";
            default -> cause.toLowerCase(java.util.Locale.ROOT);
        };
    }
}
