package org.openaudience.audience;

import java.util.List;

/** A Changes tab's subscription to one audience's membership changes: called from the feed's dispatcher thread. */
public interface MembershipChangeListener {

    /**
     * @param rows          the newest changes since the last call, oldest first, at most
     *                      {@link MembershipChangeHub#MAX_PER_DISPATCH}
     * @param notShownAdds  older adds of the same dispatch that were not listed (a recalculation logs thousands at
     *                      once); they happened at or before the first row
     * @param notShownDrops the same for removes
     */
    void onChanges(List<MembershipChangeRow> rows, long notShownAdds, long notShownDrops);

    /**
     * The hub ended this subscription because its member may no longer see the audience (deactivated or taken out of
     * the workspace); no further changes follow.
     *
     * @param reason why, to complete "Your access to this audience's changes ended: …"
     */
    default void onAccessEnded(String reason) {
    }
}
