package org.openaudience.audience;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.catalog.CatalogService;
import org.openaudience.criteria.CompiledQuery;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.DefinitionValidator;
import org.openaudience.criteria.Evaluator;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Node;
import org.openaudience.criteria.Problem;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.SqlCompiler;
import org.openaudience.criteria.Verdict;
import org.openaudience.profile.ProfileService;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Audiences of a workspace: drafts, activation (which starts a calculation), edits (every saved definition is kept;
 * an active audience recalculates), deactivation, and reading sizes and progress.
 */
@Service
public class AudienceService {

    private final AudienceRepository audiences;
    private final AudienceReferences references;
    private final CalculationEngine calculations;
    private final CatalogService catalog;
    private final AccessGuard guard;
    private final JdbcClient jdbc;
    private final ProfileService profiles;
    private final AuditLog audit;
    /** Reads exports with a fetch size, so the driver streams rows instead of buffering the whole result. */
    private final NamedParameterJdbcTemplate streaming;
    private final Clock clock;

    AudienceService(AudienceRepository audiences, AudienceReferences references, CalculationEngine calculations, CatalogService catalog,
                    AccessGuard guard, JdbcClient jdbc, ProfileService profiles, AuditLog audit,
                    DataSource dataSource, Clock clock) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(1_000);
        this.streaming = new NamedParameterJdbcTemplate(template);
        this.profiles = profiles;
        this.audit = audit;
        this.audiences = audiences;
        this.references = references;
        this.calculations = calculations;
        this.catalog = catalog;
        this.guard = guard;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Saves a new audience as a draft (no calculation). */
    @Transactional
    public Audience createAudience(long workspaceId, String name, String externalName, Definition definition) {
        MemberAccess member = guard.require(Capability.EDIT_AUDIENCES, workspaceId);
        String cleanName = validName(name, "name");
        if (audiences.findByWorkspaceIdAndName(workspaceId, cleanName).isPresent()) {
            throw new InvalidRequestException("name", "An audience named \"" + cleanName + "\" already exists.");
        }
        String external = externalName == null || externalName.isBlank() ? cleanName
                : validName(externalName, "externalName");
        Instant now = clock.instant();
        Audience saved = audiences.save(new Audience(null, workspaceId, cleanName, external, AudienceStatus.DRAFT,
                DefinitionJson.write(definition), 1, "", Set.of(), member.email(), now, member.email(), now, null));
        keepVersion(saved, member.email(), now);
        return saved;
    }

    /** Saves a new definition version; an active audience validates it and recalculates. */
    @Transactional
    public Audience updateDefinition(long audienceId, Definition definition) {
        Audience audience = find(audienceId);
        MemberAccess member = guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId());
        if (audience.status() == AudienceStatus.ACTIVE) {
            requireValid(audience, definition);
        }
        Instant now = clock.instant();
        Audience saved = audiences.save(audience.withDefinition(definition, member.email(), now));
        keepVersion(saved, member.email(), now);
        if (saved.status() == AudienceStatus.ACTIVE) {
            calculations.start(saved.id(), saved.workspaceId(), definition, saved.definitionVersion());
        }
        return saved;
    }

    /** Validates the definition and starts calculating it in the background. */
    @Transactional
    public Audience activateAudience(long audienceId) {
        Audience audience = find(audienceId);
        MemberAccess member = guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId());
        Definition definition = audience.definition();
        requireValid(audience, definition);
        Audience active = audiences.save(audience.withStatus(AudienceStatus.ACTIVE, member.email(), clock.instant()));
        calculations.start(active.id(), active.workspaceId(), definition, active.definitionVersion());
        audit.record(AuditAction.AUDIENCE_ACTIVATED, active.name(), "definition version "
                + active.definitionVersion(), active.workspaceId());
        return active;
    }

    @Transactional
    public Audience deactivateAudience(long audienceId) {
        Audience audience = find(audienceId);
        MemberAccess member = guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId());
        calculations.stop(audienceId);
        audit.record(AuditAction.AUDIENCE_DEACTIVATED, audience.name(), null, audience.workspaceId());
        return audiences.save(audience.withStatus(AudienceStatus.INACTIVE, member.email(), clock.instant()));
    }

    /** A draft copy with the same definition and inputs, named "<name> (copy)" (numbered when taken). */
    @Transactional
    public Audience cloneAudience(long audienceId) {
        Audience original = find(audienceId);
        guard.require(Capability.EDIT_AUDIENCES, original.workspaceId());
        String name = original.name() + " (copy)";
        for (int n = 2; audiences.findByWorkspaceIdAndName(original.workspaceId(), name).isPresent(); n++) {
            name = original.name() + " (copy " + n + ")";
        }
        return createAudience(original.workspaceId(), name.length() > 100 ? name.substring(0, 100) : name,
                original.externalName(), original.definition());
    }

    /**
     * Deletes an audience with its versions, members and history; refused while another audience's membership
     * criteria use it.
     */
    @Transactional
    public void deleteAudience(long audienceId) {
        Audience audience = find(audienceId);
        guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId());
        List<String> users = references.usersOf(audience.workspaceId(), audienceId);
        if (!users.isEmpty()) {
            throw new InvalidRequestException("audience", "\"" + audience.name() + "\" is used in the Audience "
                    + "membership criteria of " + quoted(users) + "; remove those criteria first.");
        }
        calculations.stop(audienceId);
        audiences.delete(audience);
        audit.record(AuditAction.AUDIENCE_DELETED, audience.name(), null, audience.workspaceId());
    }

    /**
     * Why a user is in (or not in) an audience: each criterion's verdict for them under the current definition,
     * evaluated now. Empty when the workspace has no such profile.
     */
    @Transactional(readOnly = true)
    public Optional<Verdict> explain(long audienceId, long mpid) {
        Audience audience = find(audienceId);
        guard.require(Capability.LOOK_UP_USERS, audience.workspaceId());
        Definition definition = audience.definition();
        Set<Long> memberOf = AudienceReferences.referenced(definition).stream()
                .filter(other -> calculations.isMember(other, mpid)).collect(Collectors.toSet());
        return profiles.facts(audience.workspaceId(), mpid)
                .map(facts -> Evaluator.evaluate(definition, facts.withAudiences(memberOf), clock.instant()));
    }

    @Transactional(readOnly = true)
    public Audience audience(long audienceId) {
        Audience audience = find(audienceId);
        guard.requireWorkspace(audience.workspaceId());
        return audience;
    }

    @Transactional(readOnly = true)
    public List<Audience> page(long workspaceId, int offset, int limit) {
        guard.requireWorkspace(workspaceId);
        int size = Math.max(1, limit);
        return audiences.findByWorkspaceIdOrderByNameAsc(workspaceId, PageRequest.of(offset / size, size));
    }

    @Transactional(readOnly = true)
    public int count(long workspaceId) {
        guard.requireWorkspace(workspaceId);
        return (int) audiences.countByWorkspaceId(workspaceId);
    }

    /** Size of the complete membership, and the progress of a running calculation. */
    @Transactional(readOnly = true)
    public CalculationProgress progress(long audienceId) {
        audience(audienceId);
        return calculations.progress(audienceId);
    }

    /** Sample matches below which an estimate is "too small to estimate" (unless the sample is everyone). */
    static final int MIN_SAMPLE_MATCHES = 20;
    /** Estimates look at about this many profiles at most (1–100 % of the workspace). */
    static final int SAMPLE_PROFILES = 50_000;

    /**
     * Estimates a (draft or edited) definition and each of its criteria from a fixed sample of the workspace's
     * profiles, with the same compiler as the calculation. Small workspaces are sampled whole, so exactly.
     */
    @Transactional(readOnly = true)
    public Estimate estimate(long workspaceId, Definition definition) {
        guard.requireWorkspace(workspaceId);
        Instant now = clock.instant();
        Map<String, Object> span = jdbc.sql("SELECT COUNT(*) AS profiles, COALESCE(MIN(mpid), 0) AS low,"
                + " COALESCE(MAX(mpid), 0) AS high FROM profile WHERE workspace_id = ?").param(workspaceId)
                .query().singleRow();
        long profiles = ((Number) span.get("profiles")).longValue();
        int percent = (int) Math.max(1, Math.min(100, SAMPLE_PROFILES * 100L / Math.max(1, profiles)));
        // one fixed MPID range (MPIDs are random): each event criterion reads one slice of its key's index
        ProfileScope.MpidRange sample = ProfileScope.MpidRange.sample(((Number) span.get("low")).longValue(),
                ((Number) span.get("high")).longValue(), percent);
        long sampled = percent == 100 ? profiles : jdbc.sql("SELECT COUNT(*) FROM profile WHERE workspace_id = ?"
                + " AND mpid BETWEEN ? AND ?").params(workspaceId, sample.from(), sample.to()).query(Long.class)
                .single();
        Map<String, Estimate.Value> perCriterion = new LinkedHashMap<>();
        collectCriteria(definition.root(), "", (path, node) -> perCriterion.put(path, estimateOf(
                new Definition(Group.of(node), definition.inputIds()), workspaceId, sample, sampled, profiles, percent,
                now)));
        return new Estimate(estimateOf(definition, workspaceId, sample, sampled, profiles, percent, now), perCriterion);
    }

    private Estimate.Value estimateOf(Definition definition, long workspaceId, ProfileScope sample, long sampled,
                                      long profiles, int percent, Instant now) {
        CompiledQuery query = SqlCompiler.compile(definition, workspaceId, sample, now);
        long matches = jdbc.sql("SELECT COUNT(*) FROM (" + query.sql() + ") q").params(query.parameters())
                .query(Long.class).single();
        long size = sampled == 0 ? 0 : Math.round((double) matches * profiles / sampled);
        return new Estimate.Value(size, percent < 100 && matches < MIN_SAMPLE_MATCHES, sampled, percent);
    }

    private static void collectCriteria(Group group, String prefix,
                                        BiConsumer<String, Node> criterion) {
        for (int i = 0; i < group.items().size(); i++) {
            Node node = group.items().get(i).node();
            String path = prefix + (i + 1);
            if (node instanceof Group inner) {
                collectCriteria(inner, path + ".", criterion);
            } else {
                criterion.accept(path, node);
            }
        }
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
        Audience audience = find(audienceId);
        guard.require(Capability.DOWNLOAD_AUDIENCES, audience.workspaceId());
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
                    rows.accept(new MemberRow(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    count[0]++;
                });
        audit.record(AuditAction.AUDIENCE_DOWNLOADED, audience.name(), count[0] + " rows, identities "
                + new TreeSet<>(identityTypes), audience.workspaceId());
        return count[0];
    }

    /** Every saved definition, oldest first. */
    @Transactional(readOnly = true)
    public List<Definition> definitionHistory(long audienceId) {
        audience(audienceId);
        return jdbc.sql("SELECT definition_json FROM audience_definition_version WHERE audience_id = ?"
                        + " ORDER BY definition_version").param(audienceId).query(String.class).list().stream()
                .map(DefinitionJson::read).toList();
    }

    private void requireValid(Audience audience, Definition definition) {
        long workspaceId = audience.workspaceId();
        List<Problem> problems = new java.util.ArrayList<>(DefinitionValidator.validate(definition,
                (type, key) -> catalog.hasEvent(workspaceId, type, key),
                id -> references.target(workspaceId, id, audience.id())));
        if (!AudienceReferences.referenced(definition).isEmpty()) {
            List<String> users = references.usersOf(workspaceId, audience.id());
            if (!users.isEmpty()) {
                problems.add(new Problem("", "criteria", "This audience is used in the Audience membership criteria"
                        + " of " + quoted(users) + ", so it cannot have membership criteria itself."));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("definition", problems.stream().map(Problem::toString)
                    .collect(Collectors.joining("; ")));
        }
    }

    private void keepVersion(Audience audience, String by, Instant now) {
        jdbc.sql("""
                        INSERT INTO audience_definition_version (audience_id, definition_version, definition_json,
                                                                 saved_by, saved_at) VALUES (?, ?, ?, ?, ?)""")
                .params(audience.id(), audience.definitionVersion(), audience.definitionJson(), by,
                        Timestamp.from(now)).update();
    }

    private static String quoted(List<String> names) {
        return names.stream().map(name -> "\"" + name + "\"").collect(Collectors.joining(", "));
    }

    private Audience find(long audienceId) {
        return audiences.findById(audienceId)
                .orElseThrow(() -> new NotFoundException("Audience " + audienceId + " no longer exists."));
    }

    private static String validName(String name, String field) {
        String clean = name == null ? "" : name.trim();
        if (clean.isEmpty()) {
            throw new InvalidRequestException(field, "Enter a name.");
        }
        if (clean.length() > 100) {
            throw new InvalidRequestException(field, "Use at most 100 characters.");
        }
        return clean;
    }
}
