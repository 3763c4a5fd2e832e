package org.openaudience.output;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.openaudience.calculation.MembershipChange;
import org.openaudience.calculation.MembershipFeed;
import org.openaudience.profile.Identity;
import org.openaudience.profile.ProfileService;
import org.springframework.stereotype.Component;

/**
 * Picks a connection's next batch: current members as adds while in the snapshot phase, then change log entries,
 * keeping only the members of the connected variation. Reading stops at a full batch, so the cursor ends on the
 * last member taken and the rest is read again next time.
 */
@Component
class NextBatch {

    /**
     * @param members    in order; identities filled in
     * @param phase      the phase after this batch
     * @param snapshotAfterMpid and {@code changeAfterId}: the cursors after this batch
     * @param exhausted  nothing more to send right now
     */
    record Batch(List<MemberUpdate> members, DeliveryPhase phase, Long snapshotAfterMpid, long changeAfterId,
                 boolean exhausted) {

        boolean movesFrom(DeliveryState state) {
            return phase != state.phase() || changeAfterId != state.changeAfterId()
                    || !java.util.Objects.equals(snapshotAfterMpid, state.snapshotAfterMpid());
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
        boolean exhausted = false;
        while (picked.size() < batchSize && !exhausted) {
            List<Long> page = feed.membersAfter(state.audienceId(), cursor, batchSize);
            exhausted = page.size() < batchSize;
            for (long mpid : page) {
                cursor = mpid;
                if (inVariation.test(mpid)) {
                    picked.add(mpid);
                    if (picked.size() == batchSize) {
                        exhausted = false;
                        break;
                    }
                }
            }
        }
        Map<Long, List<Identity>> identities = identities(state, picked);
        List<MemberUpdate> members = picked.stream().map(mpid -> new MemberUpdate(mpid,
                identities.getOrDefault(mpid, List.of()), true, now.toEpochMilli())).toList();
        // the snapshot ends when the members run out; the change log follows from the cursor set at connecting
        return new Batch(members, exhausted ? DeliveryPhase.CHANGES : DeliveryPhase.SNAPSHOT, cursor,
                state.changeAfterId(), false);
    }

    private Batch changes(DeliveryState state, int batchSize, LongPredicate inVariation) {
        List<MembershipChange> picked = new ArrayList<>();
        long cursor = state.changeAfterId();
        boolean exhausted = false;
        while (picked.size() < batchSize && !exhausted) {
            List<MembershipChange> page = feed.changesAfter(state.audienceId(), cursor, batchSize);
            exhausted = page.size() < batchSize;
            for (MembershipChange change : page) {
                cursor = change.id();
                if (inVariation.test(change.mpid())) {
                    picked.add(change);
                    if (picked.size() == batchSize) {
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
