package org.openaudience.audience;

import java.util.List;
import org.openaudience.criteria.Verdict;
import org.openaudience.profile.Identity;

/**
 * What saving edited criteria would change ("What changes?"): how many current members would leave and how many
 * users would join, counted on the estimate sample and scaled to the workspace, and up to {@link #LISTED} of each
 * with the criterion that decides them.
 *
 * @param leaving          current members who would leave, scaled to the workspace (exact when the sample is all)
 * @param joining          users who would join, scaled likewise
 * @param sampleLeaving    leavers found in the sample
 * @param sampleJoining    joiners found in the sample
 * @param sampled          profiles in the sample
 * @param profiles         profiles in the workspace
 * @param samplePercent    share of the workspace's MPID span sampled; 100: every profile, so the counts are exact
 * @param calculating      a recalculation is running: "current members" are those of the last complete one
 * @param identitiesHidden the viewer may not look up users (Read Only): identity types only, values hidden
 * @param leavers          up to {@link #LISTED} leavers of the sample, by MPID
 * @param joiners          up to {@link #LISTED} joiners of the sample, by MPID
 */
public record EditPreview(long leaving, long joining, long sampleLeaving, long sampleJoining, long sampled,
                          long profiles, int samplePercent, boolean calculating, boolean identitiesHidden,
                          List<ChangedUser> leavers, List<ChangedUser> joiners) {

    /** Users listed of each kind. */
    public static final int LISTED = 20;

    public EditPreview {
        leavers = List.copyOf(leavers);
        joiners = List.copyOf(joiners);
    }

    /** Whether every profile was evaluated, so the counts are exact rather than scaled. */
    public boolean exact() {
        return samplePercent >= 100;
    }

    /**
     * One listed user.
     *
     * @param identities customer id and email first; values are {@link MembershipChangeRow#HIDDEN} when the viewer
     *                   may not look up users
     * @param decision   the criterion that decides the change; null when none does any more (the profile changed
     *                   after the sample was read)
     */
    public record ChangedUser(long mpid, List<Identity> identities, Decision decision) {
        public ChangedUser {
            identities = List.copyOf(identities);
        }
    }

    /**
     * The criterion that decides a change: for a leaver, the first criterion of the edited definition that keeps
     * them out; for a joiner, the criterion of the saved definition that kept them out, or else the edited one that
     * now lets them in.
     *
     * @param edited   a criterion of the edited definition (false: of the saved one)
     * @param excludes the criterion sits under Exclude, so matching it keeps users out
     * @param verdict  the criterion with its path and what was found for this user, as "why is this user in?"
     *                 shows it
     */
    public record Decision(boolean edited, boolean excludes, Verdict.CriterionVerdict verdict) {

        /** Whether this criterion keeps the user out (a failed criterion, or a matched Exclude). */
        public boolean keepsOut() {
            return verdict.matches() == excludes;
        }
    }
}
