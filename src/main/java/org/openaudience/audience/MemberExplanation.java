package org.openaudience.audience;

import org.openaudience.criteria.Verdict;
import org.openaudience.profile.Profile;

/**
 * "Why is this user in?": the profile found, whether it is in the audience's complete membership (what outputs and
 * downloads see), and the verdict of the current definition evaluated now, criterion by criterion. The two can
 * differ until the next calculation or real-time update.
 */
public record MemberExplanation(Profile profile, boolean member, Verdict verdict) {
}
