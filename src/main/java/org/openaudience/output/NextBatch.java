package org.openaudience.output;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongPredicate;
import org.openaudience.calculation.MembershipChange;
import org.openaudience.calculation.MembershipFeed;
import org.openaudience.profile.Identity;
import org.openaudience.profile.ProfileService;
import org.springframework.stereotype.Component;

/**
 * Picks a connection's next batch: current members as adds while in the snapshot phase, then change log entries,
 * keeping only the members of the connected variation. A batch that was attempted and failed is pinned to its range
 * ({@code pending_to}): the retry covers exactly that range. A new batch stops reading at its size, so its end is
 * the last member taken and the rest is read again next time.
 */
@Component
class NextBatch {

    /** Rows read per query: at least this many, so a small batch of a small variation does not query per row. */
    static final int MIN_PAGE = 1_000;
    /** A pinned range holds at most its batch size of changes, or of members plus those added meanwhile. */
    private static final int PINNED_LIMIT = 1_000_000;

    /**
     * @param members   in order; identities filled in
     * @param phase     the phase after this batch
     * @param snapshotAfterMpid and {@code changeAfterId}: the cursors after this batch
     * @param exhausted nothing more to send right now
     */
    record Batch(List<MemberUpdate> members, DeliveryPhase phase, Long snapshotAfterMpid, long changeAfterId,
                 boolean exhausted) {

        boolean movesFrom(DeliveryState state) {
            return phase != state.phase() || changeAfterId != state.changeAfterId()
                    || !Objects.equals(snapshotAfterMpid, state.snapshotAfterMpid());
        }

        /** The end of this batch's range, to pin while it is attempted. */
        long end() {
            return phase == DeliveryPhase.SNAPSHOT ? snapshotAfterMpid : changeAfterId;
        }
    }

    private final MembershipFeed feed;
    private final ProfileService profiles;

    NextBatch(MembershipFeed feed, ProfileService profiles) {
        this.feed = feed;
        this.profiles = profiles;
    }

    Batch pick(DeliveryState state, int batchSize, LongPredicate inVariation, Instant now) {
        return state.phase() == DeliveryPhase.SNAPSHOT
                ? snapshot(state, batchSize, inVariation, now)
                : changes(state, batchSize, inVariation);
    }

    private Batch snapshot(DeliveryState state, int batchSize, LongPredicate inVariation, Instant now) {
        List<Long> picked = new ArrayList<>();
        Long cursor = state.snapshotAfterMpid();
        boolean exhausted;
        if (state.pendingTo() != null) {
            feed.members(state.audienceId(), cursor, state.pendingTo(), PINNED_LIMIT).stream()
                    .filter(inVariation::test).forEach(picked::add);
            cursor = state.pendingTo();
            exhausted = false;
        } else {
            exhausted = false;
            int pageSize = Math.max(batchSize, MIN_PAGE);
            while (picked.size() < batchSize && !exhausted) {
                List<Long> page = feed.members(state.audienceId(), cursor, null, pageSize);
                exhausted = page.size() < pageSize;
                for (long mpid : page) {
                    cursor = mpid;
                    if (inVariation.test(mpid) && picked.add(mpid) && picked.size() == batchSize) {
                        exhausted = false;
                        break;
                    }
                }
            }
        }
        Map<Long, List<Identity>> identities = identities(state, picked);
        List<MemberUpdate> members = picked.stream().map(mpid -> new MemberUpdate(mpid,
                identities.getOrDefault(mpid, List.of()), true, now.toEpochMilli())).toList();
        // the phase ends on a pick that finds no member left; the change log then follows from the cursor taken
        // when connecting, so changes during the snapshot are not missed
        boolean done = exhausted && members.isEmpty();
        return new Batch(members, done ? DeliveryPhase.CHANGES : DeliveryPhase.SNAPSHOT, cursor,
                state.changeAfterId(), false);
    }

    private Batch changes(DeliveryState state, int batchSize, LongPredicate inVariation) {
        List<MembershipChange> picked = new ArrayList<>();
        long cursor = state.changeAfterId();
        boolean exhausted;
        if (state.pendingTo() != null) {
            feed.changes(state.audienceId(), cursor, state.pendingTo(), PINNED_LIMIT).stream()
                    .filter(change -> inVariation.test(change.mpid())).forEach(picked::add);
            cursor = state.pendingTo();
            exhausted = false;
        } else {
            exhausted = false;
            int pageSize = Math.max(batchSize, MIN_PAGE);
            while (picked.size() < batchSize && !exhausted) {
                List<MembershipChange> page = feed.changes(state.audienceId(), cursor, null, pageSize);
                exhausted = page.size() < pageSize;
                for (MembershipChange change : page) {
                    cursor = change.id();
                    if (inVariation.test(change.mpid()) && picked.add(change) && picked.size() == batchSize) {
                        exhausted = false;
                        break;
                    }
                }
            }
        }
        Map<Long, List<Identity>> identities = identities(state, picked.stream().map(MembershipChange::mpid)
                .distinct().toList());
        List<MemberUpdate> members = picked.stream().map(change -> new MemberUpdate(change.mpid(),
                identities.getOrDefault(change.mpid(), List.of()), change.added(),
                change.changedAt().toEpochMilli())).toList();
        return new Batch(members, DeliveryPhase.CHANGES, state.snapshotAfterMpid(), cursor, exhausted);
    }

    private Map<Long, List<Identity>> identities(DeliveryState state, List<Long> mpids) {
        return profiles.identitiesOf(state.workspaceId(), mpids, state.identityTypes());
    }
}
