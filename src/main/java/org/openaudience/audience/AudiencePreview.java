package org.openaudience.audience;

import jakarta.annotation.PreDestroy;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.base.FreshPlans;
import org.openaudience.criteria.CompiledQuery;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionLimits;
import org.openaudience.criteria.Problem;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.SqlCompiler;
import org.openaudience.criteria.Verdict;
import org.openaudience.indexing.AttributeIndexes;
import org.openaudience.profile.Identity;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * "What changes?" for unsaved edits of an active audience ({@link EditPreview}): the edited definition is compiled
 * once, by the calculation's compiler, over the estimate sample ({@link AudienceEstimates}) and compared in SQL with
 * the current members in that sample; only the listed users are evaluated in memory, to say which criterion decides
 * them (as "why is this user in?" does).
 */
@Service
public class AudiencePreview {

    private static final Logger log = LoggerFactory.getLogger(AudiencePreview.class);

    private final AudienceRepository audiences;
    private final AudienceService audienceService;
    private final AudienceReferences references;
    private final AudienceEstimates estimates;
    private final AudienceMembers members;
    private final CalculationEngine calculations;
    private final AccessGuard guard;
    private final JdbcClient jdbc;
    private final TransactionTemplate readOnly;
    private final Clock clock;
    private final ExecutorService workers;
    private final AttributeIndexes indexes;
    private final FreshPlans freshPlans;

    AudiencePreview(AudienceRepository audiences, AudienceService audienceService, AudienceReferences references,
                    AudienceEstimates estimates, AudienceMembers members, CalculationEngine calculations,
                    AccessGuard guard, JdbcClient jdbc, PlatformTransactionManager transactions,
                    AttributeIndexes indexes, FreshPlans freshPlans, Clock clock) {
        this.freshPlans = freshPlans;
        this.audiences = audiences;
        this.indexes = indexes;
        this.audienceService = audienceService;
        this.references = references;
        this.estimates = estimates;
        this.members = members;
        this.calculations = calculations;
        this.guard = guard;
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.clock = clock;
        AtomicInteger number = new AtomicInteger();
        // two at a time for everyone: a page cancels its stale run, so at most one waits per page
        this.workers = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "edit-preview-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * What saving {@code edited} would change for the active audience, for members who may use its workspace;
     * identities only for those who may look users up.
     *
     * @throws DefinitionProblemsException when the edited definition could not be saved
     * @throws InvalidRequestException     when there is nothing to compare with: a draft or inactive audience, or
     *                                     one whose first calculation has not completed
     */
    @Transactional(readOnly = true)
    public EditPreview preview(long audienceId, Definition edited) {
        return preview(audienceId, edited, () -> false);
    }

    /**
     * {@link #preview(long, Definition)} on a worker thread, as the calling member. Cancelling the future skips a
     * run that has not started and stops a running one at its next step (after the sample query, between the listed
     * users), so the newest edit of a page never waits behind its stale ones.
     */
    public CompletableFuture<EditPreview> previewInBackground(long audienceId, Definition edited) {
        guard.currentMember();
        CompletableFuture<EditPreview> answer = new CompletableFuture<>();
        workers.execute(new DelegatingSecurityContextRunnable(() -> {
            if (answer.isDone()) {
                return;
            }
            try {
                answer.complete(readOnly.execute(status -> preview(audienceId, edited, answer::isCancelled)));
            } catch (CancellationException stale) {
                answer.cancel(false);
            } catch (RuntimeException e) {
                if (!(e instanceof InvalidRequestException)) {
                    log.error("Edit preview of audience {} failed", audienceId, e);
                }
                answer.completeExceptionally(e);
            }
        }));
        return answer;
    }

    private EditPreview preview(long audienceId, Definition edited, BooleanSupplier cancelled) {
        long started = System.nanoTime();
        Audience audience = audiences.findById(audienceId).orElseThrow(() -> AudienceService.notFound(audienceId));
        long workspaceId = audience.workspaceId();
        MemberAccess viewer = guard.requireWorkspace(workspaceId, () -> AudienceService.notFound(audienceId));
        if (audience.status() != AudienceStatus.ACTIVE) {
            throw new InvalidRequestException("definition", audience.name() + " is "
                    + audience.status().label().toLowerCase(java.util.Locale.ROOT)
                    + ": only an active audience has members that an edit would change.");
        }
        List<Problem> problems = DefinitionLimits.check(edited);
        if (problems.isEmpty()) {
            references.requireInWorkspace(workspaceId, edited);
            problems = audienceService.problems(workspaceId, audienceId, edited);
        }
        if (!problems.isEmpty()) {
            throw new DefinitionProblemsException(problems);
        }
        Integer generation = jdbc.sql("SELECT MAX(generation) FROM calculation_run WHERE audience_id = ?"
                + " AND status = 'DONE'").param(audienceId).query(Integer.class).optional().orElse(null);
        if (generation == null) {
            throw new InvalidRequestException("definition", audience.name() + " has no complete calculation yet,"
                    + " so there are no current members to compare with.");
        }
        Instant now = clock.instant();
        AudienceEstimates.Sample sample = estimates.sample(workspaceId);
        boolean whole = sample.percent() >= 100;
        // a small workspace is compared whole: exact, and profiles newer than the sample's cached span count too
        ProfileScope scope = whole ? new ProfileScope.All() : sample.range();
        long profiles = whole ? jdbc.sql("SELECT COUNT(*) FROM profile WHERE workspace_id = ?").param(workspaceId)
                .query(Long.class).single() : sample.profiles();
        long sampled = whole ? profiles : sample.sampled();

        long compared = System.nanoTime();
        Differences differences = differences(audienceId, generation, workspaceId, edited, scope, now);
        long explained = System.nanoTime();
        checkpoint(cancelled);
        DecidingCriteria leaving = new DecidingCriteria(edited, audience.definition());
        DecidingCriteria joining = new DecidingCriteria(audience.definition(), edited);
        List<Long> listed = new ArrayList<>(differences.leavers());
        listed.addAll(differences.joiners());
        boolean hidden = !viewer.can(Capability.LOOK_UP_USERS);
        Map<Long, List<Identity>> identities = identities(workspaceId, listed, hidden);
        List<EditPreview.ChangedUser> leavers = new ArrayList<>();
        for (long mpid : differences.leavers()) {
            checkpoint(cancelled);
            EditPreview.Decision decision = members.verdicts(workspaceId, List.of(edited), mpid, now)
                    .flatMap(verdicts -> leaving.keepingOut(verdicts.get(0), true)).orElse(null);
            leavers.add(new EditPreview.ChangedUser(mpid, identities.getOrDefault(mpid, List.of()), decision));
        }
        List<EditPreview.ChangedUser> joiners = new ArrayList<>();
        for (long mpid : differences.joiners()) {
            checkpoint(cancelled);
            EditPreview.Decision decision = members.verdicts(workspaceId, List.of(audience.definition(), edited),
                    mpid, now).flatMap(verdicts -> whyJoining(verdicts, joining, leaving)).orElse(null);
            joiners.add(new EditPreview.ChangedUser(mpid, identities.getOrDefault(mpid, List.of()), decision));
        }
        EditPreview preview = new EditPreview(scaled(differences.leaving(), profiles, sampled),
                scaled(differences.joining(), profiles, sampled), differences.leaving(), differences.joining(),
                sampled, profiles, whole ? 100 : sample.percent(), calculations.progress(audienceId).calculating(),
                hidden, leavers, joiners);
        long done = System.nanoTime();
        log.debug("Edit preview of audience {} on {} of {} profiles: {} leaving, {} joining in {} ms (checks {} ms,"
                        + " sample query {} ms, {} users explained in {} ms)", audienceId, sampled, profiles,
                differences.leaving(), differences.joining(), (done - started) / 1_000_000,
                (compared - started) / 1_000_000, (explained - compared) / 1_000_000, listed.size(),
                (done - explained) / 1_000_000);
        return preview;
    }

    /** The saved definition's criterion that kept them out, or else the edited one that lets them in. */
    private static java.util.Optional<EditPreview.Decision> whyJoining(List<Verdict> verdicts,
                                                                      DecidingCriteria saved,
                                                                      DecidingCriteria edited) {
        return saved.keepingOut(verdicts.get(0), false).or(() -> edited.lettingIn(verdicts.get(1), true));
    }

    /** Sample counts of leavers and joiners, and the first {@link EditPreview#LISTED} of each by MPID. */
    private record Differences(long leaving, long joining, List<Long> leavers, List<Long> joiners) {
    }

    /**
     * One statement: the edited definition's qualifying profiles in the scope beside the complete generation's
     * members in it, grouped by MPID; only the profiles on one side come back.
     */
    private Differences differences(long audienceId, int generation, long workspaceId, Definition edited,
                                    ProfileScope scope, Instant now) {
        CompiledQuery query = SqlCompiler.compile(edited, workspaceId, scope, now, indexes.columns());
        List<Object> parameters = new ArrayList<>(query.parameters());
        parameters.add(audienceId);
        parameters.add(generation);
        String members = "SELECT m.mpid, 2 AS side FROM audience_member m WHERE m.audience_id = ?"
                + " AND m.generation = ?";
        if (scope instanceof ProfileScope.MpidRange range) {
            members += " AND m.mpid BETWEEN ? AND ?";
            parameters.add(range.from());
            parameters.add(range.to());
        }
        long[] counts = new long[2];
        List<Long> leavers = new ArrayList<>();
        List<Long> joiners = new ArrayList<>();
        freshPlans.query(query.statement("SELECT u.mpid, MAX(u.side = 1) AS qualifies FROM (SELECT q.mpid, 1 AS side"
                        + " FROM (" + query.sql() + ") q UNION ALL " + members + ") u GROUP BY u.mpid"
                        + " HAVING MAX(u.side = 1) <> MAX(u.side = 2) ORDER BY u.mpid"), parameters, (rs, row) -> {
                    boolean joins = rs.getBoolean(2);
                    List<Long> list = joins ? joiners : leavers;
                    if (list.size() < EditPreview.LISTED) {
                        list.add(rs.getLong(1));
                    }
                    counts[joins ? 1 : 0]++;
                    return null;
                });
        return new Differences(counts[0], counts[1], leavers, joiners);
    }

    /** The listed users' identities, customer id and email first; for roles without lookup, types only. */
    private Map<Long, List<Identity>> identities(long workspaceId, List<Long> mpids, boolean hidden) {
        Map<Long, List<Identity>> byMpid = new HashMap<>();
        if (mpids.isEmpty()) {
            return byMpid;
        }
        jdbc.sql("""
                        SELECT mpid, identity_type, identity_value FROM profile_identity
                        WHERE workspace_id = :workspaceId AND mpid IN (:mpids)
                        ORDER BY mpid, FIELD(identity_type, 'email', 'customer_id') DESC, identity_type,
                                 identity_value""")
                .param("workspaceId", workspaceId).param("mpids", mpids)
                .query((ResultSet rs) -> {
                    List<Identity> identities = byMpid.computeIfAbsent(rs.getLong(1), mpid -> new ArrayList<>());
                    Identity identity = new Identity(rs.getString(2), hidden ? MembershipChangeRow.HIDDEN
                            : rs.getString(3));
                    if (!identities.contains(identity)) {
                        identities.add(identity);
                    }
                });
        return byMpid;
    }

    private static long scaled(long inSample, long profiles, long sampled) {
        return sampled == 0 ? 0 : Math.round((double) inSample * profiles / sampled);
    }

    private static void checkpoint(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("A newer edit replaced this preview");
        }
    }

    @PreDestroy
    void stopWorkers() {
        workers.shutdownNow();
    }
}
