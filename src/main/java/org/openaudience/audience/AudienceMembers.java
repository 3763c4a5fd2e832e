package org.openaudience.audience;

import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.Evaluator;
import org.openaudience.criteria.Verdict;
import org.openaudience.profile.LookupKind;
import org.openaudience.profile.ProfileService;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who is in an audience, for people: why one user is in or not (Users › Lookup), and the complete membership with
 * identities streamed for downloads.
 */
@Service
public class AudienceMembers {

    private final AudienceRepository audiences;
    private final AudienceReferences references;
    private final CalculationEngine calculations;
    private final ProfileService profiles;
    private final AccessGuard guard;
    private final AuditLog audit;
    private final NamedParameterJdbcTemplate streaming;
    private final Clock clock;

    AudienceMembers(AudienceRepository audiences, AudienceReferences references, CalculationEngine calculations,
                    ProfileService profiles, AccessGuard guard, AuditLog audit, DataSource dataSource, Clock clock) {
        // a fetch size, so the driver streams rows instead of buffering a million of them
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(1_000);
        this.streaming = new NamedParameterJdbcTemplate(template);
        this.audiences = audiences;
        this.references = references;
        this.calculations = calculations;
        this.profiles = profiles;
        this.guard = guard;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Why a user is in (or not in) an audience: each criterion's verdict for them under the current definition,
     * evaluated now. Empty when the workspace has no such profile.
     */
    @Transactional(readOnly = true)
    public Optional<Verdict> explain(long audienceId, long mpid) {
        Audience audience = find(audienceId);
        guard.require(Capability.LOOK_UP_USERS, audience.workspaceId(), () -> AudienceService.notFound(audienceId));
        return verdicts(audience.workspaceId(), List.of(audience.definition()), mpid, clock.instant())
                .map(verdicts -> verdicts.get(0));
    }

    /**
     * Each definition's verdict for one profile of the workspace, evaluated at {@code now} by the in-memory
     * evaluator; empty when the workspace has no such profile. Callers check access.
     */
    Optional<List<Verdict>> verdicts(long workspaceId, List<Definition> definitions, long mpid,
                                     java.time.Instant now) {
        // an old draft may name an audience of another workspace: its members are not read
        Set<Long> memberOf = definitions.stream().flatMap(definition -> AudienceReferences.referenced(definition)
                        .stream()).distinct()
                .filter(other -> references.target(workspaceId, other, null, false).isPresent())
                .filter(other -> calculations.isMember(other, mpid)).collect(Collectors.toSet());
        return profiles.facts(workspaceId, mpid).map(facts -> definitions.stream()
                .map(definition -> Evaluator.evaluate(definition, facts.withAudiences(memberOf), now)).toList());
    }

    /**
     * "Why is this user in?" for a user looked up as Users › Lookup does (MPID, customer id, email or device id in
     * the audience's workspace): the profile, membership now and each criterion's verdict. Empty when the workspace
     * has no such user.
     */
    @Transactional(readOnly = true)
    public Optional<MemberExplanation> explain(long audienceId, LookupKind kind, String value) {
        Audience audience = find(audienceId);
        guard.require(Capability.LOOK_UP_USERS, audience.workspaceId(), () -> AudienceService.notFound(audienceId));
        return profiles.lookup(audience.workspaceId(), kind, value).flatMap(profile ->
                explain(audienceId, profile.mpid()).map(verdict -> new MemberExplanation(profile,
                        calculations.isMember(audienceId, profile.mpid()), verdict)));
    }

    /**
     * Streams the complete membership with the chosen identities, ordered by MPID, row by row from the database
     * (a million members never sit in memory). Audited, as downloads are.
     *
     * @return the number of rows written
     */
    @Transactional(readOnly = true)
    public long streamMembers(long audienceId, Set<String> identityTypes,
                              Consumer<MemberRow> rows) {
        return streamMembers(audienceId, identityTypes, mpid -> true, null, rows);
    }

    /**
     * As {@link #streamMembers(long, Set, Consumer)}, only the members {@code include} accepts (e.g. chosen A/B
     * variations); the audit entry counts the rows written and adds {@code scope} (e.g. "variations [Control]").
     *
     * @param scope what {@code include} keeps, for the audit log; null when it keeps everyone
     */
    @Transactional(readOnly = true)
    public long streamMembers(long audienceId, Set<String> identityTypes, LongPredicate include, String scope,
                              Consumer<MemberRow> rows) {
        Audience audience = find(audienceId);
        guard.require(Capability.DOWNLOAD_AUDIENCES, audience.workspaceId(),
                () -> AudienceService.notFound(audienceId));
        List<String> types = identityTypes.isEmpty() ? List.of("") : List.copyOf(identityTypes);
        long[] count = {0};
        String sql = """
                SELECT m.mpid, i.identity_type, i.identity_value FROM audience_member m
                JOIN (SELECT MAX(generation) AS generation FROM calculation_run
                      WHERE audience_id = :id AND status = 'DONE') done ON m.generation = done.generation
                LEFT JOIN profile_identity i ON i.workspace_id = :workspaceId AND i.mpid = m.mpid
                     AND i.identity_type IN (:types)
                WHERE m.audience_id = :id ORDER BY m.mpid, i.identity_type, i.identity_value""";
        streaming.query(sql, new MapSqlParameterSource("id", audienceId)
                        .addValue("workspaceId", audience.workspaceId()).addValue("types", types),
                (ResultSet rs) -> {
                    long mpid = rs.getLong(1);
                    if (include.test(mpid)) {
                        rows.accept(new MemberRow(mpid, rs.getString(2), rs.getString(3)));
                        count[0]++;
                    }
                });
        audit.record(AuditAction.AUDIENCE_DOWNLOADED, audience.name(), count[0] + " rows, identities "
                + new TreeSet<>(identityTypes) + (scope == null ? "" : ", " + scope), audience.workspaceId());
        return count[0];
    }

    private Audience find(long audienceId) {
        return audiences.findById(audienceId)
                .orElseThrow(() -> AudienceService.notFound(audienceId));
    }
}
