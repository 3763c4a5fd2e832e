package org.openaudience.abtest;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.ConflictException;
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

    public static final int MAX_NAME_LENGTH = 60;

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
        Variation added = next(test.variations(), percent, name, "");
        jdbc.sql("INSERT INTO ab_variation (audience_id, position, name, percent) VALUES (?, ?, ?, ?)")
                .params(audienceId, added.position(), added.name(), added.percent()).update();
        return read(audienceId).orElseThrow();
    }

    /**
     * The variation that adding this share to these variations makes, or the rule it breaks (the Add Variation
     * rules); {@code field} prefixes the field names, e.g. {@code variations[1].} for the REST API's list.
     */
    private static Variation next(List<Variation> variations, int percent, String name, String field) {
        if (variations.size() >= AbTest.MAX_VARIATIONS) {
            throw new InvalidRequestException("variations", "A test has at most " + AbTest.MAX_VARIATIONS
                    + " variations, Control included.");
        }
        int control = variations.get(0).percent();
        if (percent < 1 || percent >= control) {
            throw new InvalidRequestException(field + "percent", "Use 1 to " + (control - 1) + " %: the variations"
                    + " may not total 100 % or more, Control keeps the rest.");
        }
        int position = variations.size();
        String clean = name == null || name.isBlank() ? "Variation " + position : name.trim();
        if (clean.length() > MAX_NAME_LENGTH) {
            throw new InvalidRequestException(field + "name", "Use at most " + MAX_NAME_LENGTH + " characters.");
        }
        if (variations.stream().anyMatch(v -> v.name().equalsIgnoreCase(clean))) {
            throw new InvalidRequestException(field + "name", "This test already has a variation named \"" + clean
                    + "\".");
        }
        return new Variation(position, clean, percent);
    }

    /** A variation as the REST API asks for it: its share and an optional name ("Variation N" when empty). */
    public record VariationShare(String name, Integer percent) {
    }

    /**
     * The REST API's create-or-replace: the audience's test with exactly these variations, saved. They are the
     * variations besides Control, which keeps the rest; a first one named Control (as {@link #test} lists it) is
     * accepted when its share is that rest. An open test is deleted first, as Delete Test and Start would do; a saved
     * one is frozen, so only its own split is accepted again (and nothing changes). Every rule is checked before
     * anything changes; saving (and deleting an open test) is audited as in the A/B Test tab.
     */
    @Transactional
    public AbTest putTest(long audienceId, List<VariationShare> variations) {
        requireEdit(audienceId);
        List<Variation> split = split(variations);
        Optional<AbTest> current = read(audienceId);
        if (current.isPresent() && current.get().saved()) {
            if (current.get().variations().equals(split)) {
                return current.get();
            }
            throw new ConflictException("The test is saved and frozen; delete it to start again.", Map.of(
                    "variations", current.get().variations().stream().map(v -> Map.of("position", v.position(),
                            "name", v.name(), "percent", v.percent())).toList()));
        }
        if (current.isPresent()) {
            deleteTest(audienceId);
        }
        startTest(audienceId);
        split.subList(1, split.size()).forEach(v -> addVariation(audienceId, v.percent(), v.name()));
        return saveTest(audienceId);
    }

    /** The variations these shares make, Control first, or the first rule they break. */
    private static List<Variation> split(List<VariationShare> shares) {
        List<VariationShare> asked = shares == null ? List.of() : shares;
        boolean controlListed = !asked.isEmpty() && asked.get(0) != null && asked.get(0).name() != null
                && asked.get(0).name().trim().equalsIgnoreCase(Variation.CONTROL);
        int first = controlListed ? 1 : 0;
        List<Variation> split = new ArrayList<>(List.of(new Variation(0, Variation.CONTROL, 100)));
        for (int i = first; i < asked.size(); i++) {
            VariationShare share = asked.get(i);
            String field = "variations[" + i + "].";
            if (share == null || share.percent() == null) {
                throw new InvalidRequestException(field + "percent", "Enter a percentage.");
            }
            Variation added = next(split, share.percent(), share.name(), field);
            split.set(0, new Variation(0, Variation.CONTROL, split.get(0).percent() - added.percent()));
            split.add(added);
        }
        if (split.size() < 2) {
            throw new InvalidRequestException("variations", "Add at least one variation besides Control.");
        }
        Integer controlShare = controlListed ? asked.get(0).percent() : null;
        if (controlListed && (controlShare == null || controlShare != split.get(0).percent())) {
            throw new InvalidRequestException("variations[0].percent", "Control keeps the rest: "
                    + split.get(0).percent() + " %.");
        }
        return split;
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
