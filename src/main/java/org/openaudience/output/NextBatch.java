package org.openaudience.output;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
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
        Picked<Long> picked = scan(state.snapshotAfterMpid(), state.pendingTo(), batchSize,
                (after, upTo, limit) -> feed.members(state.audienceId(), after, upTo, limit), mpid -> mpid,
                inVariation::test);
        Map<Long, List<Identity>> identities = identities(state, picked.items());
        List<MemberUpdate> members = picked.items().stream().map(mpid -> new MemberUpdate(mpid,
                identities.getOrDefault(mpid, List.of()), true, now.toEpochMilli())).toList();
        // the phase ends on a pick that finds no member left; the change log then follows from the cursor taken
        // when connecting, so changes during the snapshot are not missed
        boolean done = picked.exhausted() && members.isEmpty();
        return new Batch(members, done ? DeliveryPhase.CHANGES : DeliveryPhase.SNAPSHOT, picked.cursor(),
                state.changeAfterId(), false);
    }

    private Batch changes(DeliveryState state, int batchSize, LongPredicate inVariation) {
        Picked<MembershipChange> picked = scan(state.changeAfterId(), state.pendingTo(), batchSize,
                (after, upTo, limit) -> feed.changes(state.audienceId(), after, upTo, limit), MembershipChange::id,
                change -> inVariation.test(change.mpid()));
        Map<Long, List<Identity>> identities = identities(state, picked.items().stream()
                .map(MembershipChange::mpid).distinct().toList());
        List<MemberUpdate> members = picked.items().stream().map(change -> new MemberUpdate(change.mpid(),
                identities.getOrDefault(change.mpid(), List.of()), change.added(),
                change.changedAt().toEpochMilli())).toList();
        return new Batch(members, DeliveryPhase.CHANGES, state.snapshotAfterMpid(), picked.cursor(),
                picked.exhausted());
    }

    /** Reads rows after a cursor (and at most up to a bound), by position. */
    private interface Pager<T> {
        List<T> page(Long after, Long upTo, int limit);
    }

    private record Picked<T>(List<T> items, Long cursor, boolean exhausted) {
    }

    /**
     * The rows of a pinned range ({@code pendingTo}), or new rows after the cursor up to a full batch: pages of at
     * least {@link #MIN_PAGE}, the cursor ending on the last row taken (or read, when the rows ran out).
     */
    private static <T> Picked<T> scan(Long cursor, Long pendingTo, int batchSize, Pager<T> pager,
                                      ToLongFunction<T> position, Predicate<T> keep) {
        List<T> picked = new ArrayList<>();
        if (pendingTo != null) {
            pager.page(cursor, pendingTo, PINNED_LIMIT).stream().filter(keep).forEach(picked::add);
            return new Picked<>(picked, pendingTo, false);
        }
        boolean exhausted = false;
        int pageSize = Math.max(batchSize, MIN_PAGE);
        while (picked.size() < batchSize && !exhausted) {
            List<T> page = pager.page(cursor, null, pageSize);
            exhausted = page.size() < pageSize;
            for (T row : page) {
                cursor = position.applyAsLong(row);
                if (keep.test(row) && picked.add(row) && picked.size() == batchSize) {
                    exhausted = false;
                    break;
                }
            }
        }
        return new Picked<>(picked, cursor, exhausted);
    }

    private Map<Long, List<Identity>> identities(DeliveryState state, List<Long> mpids) {
        return profiles.identitiesOf(state.workspaceId(), mpids, state.identityTypes());
    }
}
