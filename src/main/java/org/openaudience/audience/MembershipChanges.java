package org.openaudience.audience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The Changes tab's service: users entering and leaving an audience, from its membership change log — the newest
 * changes, live ones through {@link MembershipChangeHub}, and adds and drops per hour over the last 7 days. Everyone
 * who may see the audience may see its changes; identities only roles that may look users up (others get the
 * identity types with {@link MembershipChangeRow#HIDDEN} values, as in the Live Stream).
 */
@Service
public class MembershipChanges {

    /** The most changes one call returns. */
    public static final int MAX_LATEST = 200;

    private final AudienceRepository audiences;
    private final MembershipChangeLog changeLog;
    private final MembershipChangeHub hub;
    private final AccessGuard guard;
    private final Clock clock;

    MembershipChanges(AudienceRepository audiences, MembershipChangeLog changeLog, MembershipChangeHub hub,
                      AccessGuard guard, Clock clock) {
        this.audiences = audiences;
        this.changeLog = changeLog;
        this.hub = hub;
        this.guard = guard;
        this.clock = clock;
    }

    /** The audience's newest changes (at most {@link #MAX_LATEST}), oldest first. */
    @Transactional(readOnly = true)
    public List<MembershipChangeRow> latest(long audienceId, int limit) {
        Audience audience = find(audienceId);
        MemberAccess member = guard.requireWorkspace(audience.workspaceId(),
                () -> AudienceService.notFound(audienceId));
        List<MembershipChangeRow> rows = changeLog.withIdentities(audience.workspaceId(),
                changeLog.latest(audienceId, Math.max(0, Math.min(limit, MAX_LATEST))));
        return member.can(Capability.LOOK_UP_USERS) ? rows
                : rows.stream().map(MembershipChangeRow::withoutIdentities).toList();
    }

    /** Adds and drops per hour (UTC) over the last {@link HourlyChanges#HOURS} hours, the current one last. */
    @Transactional(readOnly = true)
    public HourlyChanges hourly(long audienceId) {
        Audience audience = find(audienceId);
        guard.requireWorkspace(audience.workspaceId(), () -> AudienceService.notFound(audienceId));
        Instant start = clock.instant().truncatedTo(ChronoUnit.HOURS)
                .minus(Duration.ofHours(HourlyChanges.HOURS - 1L));
        return changeLog.hourly(audienceId, start, HourlyChanges.HOURS);
    }

    /**
     * Pushes the audience's changes committed from now on to the listener until {@link #unsubscribe}, or until the
     * member may no longer see the audience ({@link MembershipChangeListener#onAccessEnded}).
     */
    public void subscribe(long audienceId, MembershipChangeListener listener) {
        hub.subscribe(audienceId, listener);
    }

    public void unsubscribe(long audienceId, MembershipChangeListener listener) {
        hub.unsubscribe(audienceId, listener);
    }

    private Audience find(long audienceId) {
        return audiences.findById(audienceId).orElseThrow(() -> AudienceService.notFound(audienceId));
    }
}
