package org.openaudience.abtest;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A/B tests (PRODUCT.md §3.6): a test starts with Control at 100 %; variations take a percentage each (Control keeps
 * the rest, totals over 100 are refused, at most {@link AbTest#MAX_VARIATIONS} including Control); Save freezes it.
 */
@Service
public class AbTestService {

    private final AudienceService audiences;
    private final AccessGuard guard;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    AbTestService(AudienceService audiences, AccessGuard guard, JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.audiences = audiences;
        this.guard = guard;
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** The audience's test, if it has one. */
    @Transactional(readOnly = true)
    public Optional<AbTest> test(long audienceId) {
        audiences.audience(audienceId);
        return read(audienceId);
    }

    /**
     * The saved (frozen) test of an audience, for background delivery of variations: no member is signed in there,
     * and connections were checked when they were made.
     */
    @Transactional(readOnly = true)
    public Optional<AbTest> frozenTest(long audienceId) {
        return read(audienceId).filter(AbTest::saved);
    }

    /** Which of these audiences of the workspace have a test, and how many variations (the list's marker); one query. */
    @Transactional(readOnly = true)
    public java.util.Map<Long, Integer> variationCounts(long workspaceId, java.util.Collection<Long> audienceIds) {
        guard.requireWorkspace(workspaceId);
        java.util.Map<Long, Integer> counts = new java.util.HashMap<>();
        if (audienceIds.isEmpty()) {
            return counts;
        }
        jdbc.sql("SELECT t.audience_id, 1 + COUNT(v.id) FROM ab_test t JOIN audience a ON a.id = t.audience_id"
                        + " LEFT JOIN ab_variation v ON v.audience_id = t.audience_id"
                        + " WHERE a.workspace_id = :workspaceId AND t.audience_id IN (:ids) GROUP BY t.audience_id")
                .param("workspaceId", workspaceId).param("ids", audienceIds)
                .query((rs, row) -> counts.put(rs.getLong(1), rs.getInt(2))).list();
        return counts;
    }

    @Transactional
    public AbTest startTest(long audienceId) {
        MemberAccess member = requireEdit(audienceId).member();
        if (read(audienceId).isPresent()) {
            throw new InvalidRequestException("test", "This audience already has an A/B test.");
        }
        jdbc.sql("INSERT INTO ab_test (audience_id, saved, created_by, created_at) VALUES (?, FALSE, ?, ?)")
                .params(audienceId, member.email(), Timestamp.from(clock.instant())).update();
        return read(audienceId).orElseThrow();
    }

    /** Adds a variation with a percentage taken from Control; the name is "Variation N" when left empty. */
    @Transactional
    public AbTest addVariation(long audienceId, int percent, String name) {
        requireEdit(audienceId);
        AbTest test = editable(audienceId);
        if (test.variations().size() >= AbTest.MAX_VARIATIONS) {
            throw new InvalidRequestException("variations", "A test has at most " + AbTest.MAX_VARIATIONS
                    + " variations, Control included.");
        }
        int control = test.variations().get(0).percent();
        if (percent < 1 || percent >= control) {
            throw new InvalidRequestException("percent", "Use 1 to " + (control - 1) + " %: the variations may not "
                    + "total 100 % or more, Control keeps the rest.");
        }
        int position = test.variations().size();
        String clean = name == null || name.isBlank() ? "Variation " + position : name.trim();
        if (clean.length() > 60) {
            throw new InvalidRequestException("name", "Use at most 60 characters.");
        }
        if (test.variations().stream().anyMatch(v -> v.name().equalsIgnoreCase(clean))) {
            throw new InvalidRequestException("name", "This test already has a variation named \"" + clean + "\".");
        }
        jdbc.sql("INSERT INTO ab_variation (audience_id, position, name, percent) VALUES (?, ?, ?, ?)")
                .params(audienceId, position, clean, percent).update();
        return read(audienceId).orElseThrow();
    }

    /** Freezes the split: from now on members are assigned and the variations can be connected and downloaded. */
    @Transactional
    public AbTest saveTest(long audienceId) {
        Edit edit = requireEdit(audienceId);
        AbTest test = editable(audienceId);
        if (test.variations().size() < 2) {
            throw new InvalidRequestException("variations", "Add at least one variation besides Control.");
        }
        jdbc.sql("UPDATE ab_test SET saved = TRUE, saved_by = ?, saved_at = ? WHERE audience_id = ?")
                .params(edit.member().email(), Timestamp.from(clock.instant()), audienceId).update();
        audit.record(AuditAction.AB_TEST_SAVED, edit.audience().name(), split(test), edit.audience().workspaceId());
        return read(audienceId).orElseThrow();
    }

    /** Removes the test and its variations (their connections go with them). */
    @Transactional
    public void deleteTest(long audienceId) {
        Edit edit = requireEdit(audienceId);
        Optional<AbTest> test = read(audienceId);
        if (test.isEmpty()) {
            return;
        }
        jdbc.sql("DELETE FROM ab_test WHERE audience_id = ?").param(audienceId).update();
        audit.record(AuditAction.AB_TEST_DELETED, edit.audience().name(), (test.get().saved() ? "saved" : "not saved")
                + ": " + split(test.get()), edit.audience().workspaceId());
    }

    /** e.g. {@code Control 50 %, Half price 30 %, Variation 2 20 %}. */
    private static String split(AbTest test) {
        return String.join(", ", test.variations().stream().map(v -> v.name() + " " + v.percent() + " %").toList());
    }

    private AbTest editable(long audienceId) {
        AbTest test = read(audienceId).orElseThrow(() -> new InvalidRequestException("test",
                "This audience has no A/B test; start one first."));
        if (test.saved()) {
            throw new InvalidRequestException("test", "The test is saved and frozen; delete it to start again.");
        }
        return test;
    }

    private record Edit(Audience audience, MemberAccess member) {
    }

    private Edit requireEdit(long audienceId) {
        Audience audience = audiences.audience(audienceId);
        return new Edit(audience, guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId()));
    }

    private Optional<AbTest> read(long audienceId) {
        Optional<Boolean> saved = jdbc.sql("SELECT saved FROM ab_test WHERE audience_id = ?").param(audienceId)
                .query(Boolean.class).optional();
        if (saved.isEmpty()) {
            return Optional.empty();
        }
        List<Variation> added = jdbc.sql("SELECT position, name, percent FROM ab_variation WHERE audience_id = ?"
                        + " ORDER BY position").param(audienceId)
                .query((rs, row) -> new Variation(rs.getInt(1), rs.getString(2), rs.getInt(3))).list();
        List<Variation> all = new ArrayList<>();
        all.add(new Variation(0, Variation.CONTROL, 100 - added.stream().mapToInt(Variation::percent).sum()));
        all.addAll(added);
        return Optional.of(new AbTest(audienceId, saved.get(), all));
    }
}
