package org.openaudience.audience;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.DefinitionValidator;
import org.openaudience.criteria.Evaluator;
import org.openaudience.criteria.Problem;
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
        references.requireInWorkspace(workspaceId, definition);
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
        references.requireInWorkspace(audience.workspaceId(), definition);
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

    /**
     * The problems activation would report for this definition, per criterion and field, for the editor to show
     * beside its fields; nothing is saved.
     */
    @Transactional(readOnly = true)
    public List<Problem> problems(long workspaceId, Long audienceId, Definition definition) {
        guard.requireWorkspace(workspaceId);
        return problems(workspaceId, audienceId, definition, false);
    }

    private List<Problem> problems(long workspaceId, Long audienceId, Definition definition, boolean locking) {
        List<Problem> problems = new ArrayList<>(DefinitionValidator.validate(definition,
                (type, key) -> catalog.hasEvent(workspaceId, type, key),
                id -> references.target(workspaceId, id, audienceId, locking)));
        if (audienceId != null && !AudienceReferences.referenced(definition).isEmpty()) {
            List<String> users = references.usersOf(workspaceId, audienceId, locking);
            if (!users.isEmpty()) {
                problems.add(new Problem("", "criteria", "This audience is used in the Audience membership criteria"
                        + " of " + quoted(users) + ", so it cannot have membership criteria itself."));
            }
        }
        return problems;
    }

    /** Audiences a membership criterion may point at: those of the workspace without membership criteria. */
    @Transactional(readOnly = true)
    public List<Audience> membershipTargets(long workspaceId, Long editedId) {
        guard.requireWorkspace(workspaceId);
        return audiences.findByWorkspaceIdOrderByNameAsc(workspaceId, PageRequest.of(0, 1000)).stream()
                .filter(audience -> !audience.id().equals(editedId))
                .filter(audience -> AudienceReferences.referenced(audience.definition()).isEmpty())
                .toList();
    }

    /** Names of the audiences whose membership criteria use this one (it cannot be deleted while there are any). */
    @Transactional(readOnly = true)
    public List<String> usedBy(long audienceId) {
        Audience audience = audience(audienceId);
        return references.usersOf(audience.workspaceId(), audienceId, false);
    }

    /** What the signed-in member may do with the workspace's audiences (the views show only those controls). */
    @Transactional(readOnly = true)
    public AudiencePermissions permissions(long workspaceId) {
        MemberAccess member = guard.requireWorkspace(workspaceId);
        return new AudiencePermissions(member.can(Capability.EDIT_AUDIENCES),
                member.can(Capability.DOWNLOAD_AUDIENCES), member.can(Capability.LOOK_UP_USERS));
    }

    /** Renames, describes and tags an audience (tags: at most 18 characters each). */
    @Transactional
    public Audience updateDetails(long audienceId, String name, String externalName, String description,
                                  Set<String> tags) {
        Audience audience = find(audienceId);
        MemberAccess member = guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId());
        String cleanName = validName(name, "name");
        if (audiences.findByWorkspaceIdAndName(audience.workspaceId(), cleanName)
                .filter(other -> !other.id().equals(audienceId)).isPresent()) {
            throw new InvalidRequestException("name", "An audience named \"" + cleanName + "\" already exists.");
        }
        String external = externalName == null || externalName.isBlank() ? cleanName
                : validName(externalName, "externalName");
        String cleanDescription = description == null ? "" : description.trim();
        if (cleanDescription.length() > 1000) {
            throw new InvalidRequestException("description", "Use at most 1000 characters.");
        }
        return audiences.save(audience.withDetails(cleanName, external, cleanDescription, validTags(tags),
                member.email(), clock.instant()));
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
        lockAudience(audienceId);
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
        Audience copy = createAudience(original.workspaceId(), name.length() > 100 ? name.substring(0, 100) : name,
                original.externalName(), original.definition());
        return audiences.save(copy.withDetails(copy.name(), copy.externalName(), original.description(),
                original.tagNames(), copy.updatedBy(), copy.updatedAt()));
    }

    /**
     * Deletes an audience with its versions, members and history; refused while another audience's membership
     * criteria use it.
     */
    @Transactional
    public void deleteAudience(long audienceId) {
        Audience audience = find(audienceId);
        guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId());
        references.lockWorkspace(audience.workspaceId()); // no save may start using it meanwhile
        List<String> users = references.usersOf(audience.workspaceId(), audienceId, true);
        if (!users.isEmpty()) {
            throw new InvalidRequestException("audience", "\"" + audience.name() + "\" is used in the Audience "
                    + "membership criteria of " + quoted(users) + "; remove those criteria first.");
        }
        lockAudience(audienceId);
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
        // an old draft may name an audience of another workspace: its members are not read
        Set<Long> memberOf = AudienceReferences.referenced(definition).stream()
                .filter(other -> references.target(audience.workspaceId(), other, null, false).isPresent())
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

    /** Validates for saving: under the workspace's reference lock, against the latest committed definitions. */
    private void requireValid(Audience audience, Definition definition) {
        references.lockForReferences(audience.workspaceId(), definition);
        List<Problem> problems = problems(audience.workspaceId(), audience.id(), definition, true);
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

    static final int MAX_TAG_LENGTH = 18;

    private static Set<String> validTags(Set<String> tags) {
        Set<String> clean = new TreeSet<>();
        for (String tag : tags == null ? Set.<String>of() : tags) {
            String trimmed = tag == null ? "" : tag.trim();
            if (trimmed.length() > MAX_TAG_LENGTH) {
                throw new InvalidRequestException("tags", "\"" + trimmed + "\" is longer than " + MAX_TAG_LENGTH
                        + " characters.");
            }
            if (!trimmed.isEmpty()) {
                clean.add(trimmed);
            }
        }
        if (clean.size() > 20) {
            throw new InvalidRequestException("tags", "Use at most 20 tags.");
        }
        return clean;
    }

    /** The audience row first, as the calculation and real time lock it, so runs are changed in one order. */
    private void lockAudience(long audienceId) {
        jdbc.sql("SELECT id FROM audience WHERE id = ? FOR UPDATE").param(audienceId).query(Long.class).list();
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
