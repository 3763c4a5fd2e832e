package org.openaudience.audience;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.stereotype.Service;

/**
 * Download members (PRODUCT.md §3.5): the complete membership with the chosen identity types, written in the
 * background to a ZIP with {@code members.csv} (written by {@link MemberCsv}, as the REST API's stream is) and
 * {@code manifest.json}. Exports are kept for a day, for the member who started them.
 */
@Service
public class MemberExports {

    private static final Logger log = LoggerFactory.getLogger(MemberExports.class);
    static final Duration KEPT = Duration.ofDays(1);

    private final AudienceService audiences;
    private final AudienceMembers audienceMembers;
    private final CalculationEngine calculations;
    private final AccessGuard guard;
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Path directory;
    private final Map<String, MemberExport> exports = new ConcurrentHashMap<>();
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "member-export");
        thread.setDaemon(true);
        return thread;
    });

    MemberExports(AudienceService audiences, AudienceMembers audienceMembers, CalculationEngine calculations, AccessGuard guard, JdbcClient jdbc,
                  ObjectMapper json, Clock clock) throws IOException {
        this.audiences = audiences;
        this.audienceMembers = audienceMembers;
        this.calculations = calculations;
        this.guard = guard;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.directory = Files.createTempDirectory("openaudience-exports");
    }

    /** The identity types the workspace's profiles have, for choosing columns. */
    public List<String> identityTypes(long workspaceId) {
        guard.require(Capability.DOWNLOAD_AUDIENCES, workspaceId);
        return jdbc.sql("SELECT DISTINCT identity_type FROM profile_identity WHERE workspace_id = ?"
                + " ORDER BY identity_type").param(workspaceId).query(String.class).list();
    }

    /**
     * Starts writing the audience's complete membership; {@code onChange} hears of progress and the end (on the
     * worker thread), and {@link #export(String)} reads the state at any time.
     */
    public MemberExport start(long audienceId, Set<String> identityTypes,
                              java.util.function.Consumer<MemberExport> onChange) {
        return start(audienceId, identityTypes, null, onChange);
    }

    /**
     * As {@link #start(long, Set, java.util.function.Consumer)}, one CSV per variation of a saved A/B test.
     *
     * @param variationOf a member's variation name (from the A/B test), or null for one file of all members
     */
    public MemberExport start(long audienceId, Set<String> identityTypes, LongFunction<String> variationOf,
                              java.util.function.Consumer<MemberExport> onChange) {
        return start(audienceId, identityTypes, variationOf, null, onChange);
    }

    /**
     * As {@link #start(long, Set, LongFunction, java.util.function.Consumer)}, only the members of the chosen
     * variations: one CSV for each of them (empty when it has no members), named in the manifest and the audit log.
     *
     * @param variations the variation names to export, or null for all
     */
    public MemberExport start(long audienceId, Set<String> identityTypes, LongFunction<String> variationOf,
                              Set<String> variations, java.util.function.Consumer<MemberExport> onChange) {
        Audience audience = audiences.audience(audienceId);
        String email = guard.require(Capability.DOWNLOAD_AUDIENCES, audience.workspaceId()).email();
        if (variations != null && variationOf == null) {
            throw new org.openaudience.base.InvalidRequestException("variations",
                    "This audience has no saved A/B test, so there are no variations to choose.");
        }
        if (variations != null && variations.isEmpty()) {
            throw new org.openaudience.base.InvalidRequestException("variations", "Choose at least one variation.");
        }
        removeOld();
        List<String> types = new ArrayList<>(new java.util.TreeSet<>(identityTypes));
        String id = UUID.randomUUID().toString();
        String fileName = audience.name().replaceAll("[^A-Za-z0-9._-]+", "-") + "-members.zip";
        MemberExport export = new MemberExport(id, audienceId, fileName, List.copyOf(types), 0,
                calculations.progress(audienceId).size(), false, null, directory.resolve(id + ".zip"),
                clock.instant());
        exports.put(id, export);
        owners.put(id, email);
        List<String> chosen = variations == null ? null : List.copyOf(new java.util.LinkedHashSet<>(variations));
        // the service checks run on the worker thread as the member who asked
        workers.execute(new DelegatingSecurityContextRunnable(() -> write(export, audience, variationOf, chosen,
                onChange)));
        return export;
    }

    /** The export's progress, for the member who started it. */
    public MemberExport export(String id) {
        MemberExport export = exports.get(id);
        String owner = owners.get(id);
        if (export == null || owner == null || !owner.equalsIgnoreCase(guard.currentMember().email())) {
            throw new org.openaudience.base.NotFoundException("This download is no longer available.");
        }
        // a member whose role changed since may no longer fetch it
        guard.require(Capability.DOWNLOAD_AUDIENCES, audiences.audience(export.audienceId()).workspaceId());
        return export;
    }

    /** One CSV of the export, written to a temporary file first (a ZIP takes one entry at a time). */
    private static final class CsvFile {
        final String variation;
        final String name;
        final Path path;
        final MemberCsv csv;
        long rows;
        long members;
        final Map<String, Long> byType = new TreeMap<>();

        CsvFile(String variation, String name, Path path) throws IOException {
            this.variation = variation;
            this.name = name;
            this.path = path;
            this.csv = new MemberCsv(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
        }
    }

    private void write(MemberExport started, Audience audience, LongFunction<String> variationOf,
                       List<String> chosen, java.util.function.Consumer<MemberExport> onChange) {
        long[] members = {0};
        // the moment the membership is read; every row of this export carries it
        long scannedAt = clock.millis();
        Map<String, CsvFile> files = new java.util.LinkedHashMap<>();
        try {
            long[] previous = {0};
            boolean[] any = {false};
            CsvFile[] current = {null};
            java.util.function.LongPredicate include = mpid -> true;
            if (chosen != null) {
                // each chosen variation has its file, in the order chosen, even without members
                chosen.forEach(variation -> files.put(variation, csvFile(started, variation, false)));
                Set<String> wanted = Set.copyOf(chosen);
                include = mpid -> wanted.contains(variationOf.apply(mpid));
            }
            audienceMembers.streamMembers(audience.id(), Set.copyOf(started.identityTypes()), include,
                    chosen == null ? null : "variations " + chosen, row -> {
                if (!any[0] || row.mpid() != previous[0]) {
                    members[0]++;
                    if (members[0] % 1_000 == 0) {
                        report(progress(started, members[0], false, null), onChange);
                    }
                    String variation = variationOf == null ? "All members" : variationOf.apply(row.mpid());
                    current[0] = files.computeIfAbsent(variation, v -> csvFile(started, v, variationOf == null));
                    current[0].members++;
                }
                any[0] = true;
                previous[0] = row.mpid();
                print(current[0].csv, row, scannedAt);
                current[0].rows++;
                if (row.identityType() != null) {
                    current[0].byType.merge(row.identityType(), 1L, Long::sum);
                }
            });
            if (files.isEmpty()) {
                files.put("All members", csvFile(started, "All members", true));
            }
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(started.file()))) {
                for (CsvFile file : files.values()) {
                    file.csv.close();
                    zip.putNextEntry(new ZipEntry(file.name));
                    Files.copy(file.path, zip);
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry("manifest.json"));
                ObjectNode manifest = manifest(started, audience, members[0], files.values(), scannedAt);
                if (chosen != null) {
                    manifest.putPOJO("variations", chosen);
                }
                zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                zip.closeEntry();
            }
            report(progress(started, members[0], true, null), onChange);
        } catch (IOException | RuntimeException e) {
            log.error("Member export {} of audience {} failed", started.id(), audience.id(), e);
            try {
                Files.deleteIfExists(started.file());
            } catch (IOException cleanup) {
                log.warn("Could not delete the failed export {}", started.file(), cleanup);
            }
            report(progress(started, members[0], false, "The export failed: " + e.getMessage()), onChange);
        } finally {
            for (CsvFile file : files.values()) {
                try {
                    file.csv.close();
                    Files.deleteIfExists(file.path);
                } catch (IOException cleanup) {
                    log.warn("Could not remove the temporary file {}", file.path, cleanup);
                }
            }
        }
    }

    private CsvFile csvFile(MemberExport export, String variation, boolean single) {
        String name = single ? "members.csv"
                : "members-" + variation.replaceAll("[^A-Za-z0-9._-]+", "-").toLowerCase() + ".csv";
        try {
            return new CsvFile(variation, name, directory.resolve(export.id() + "-" + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void report(MemberExport state, java.util.function.Consumer<MemberExport> onChange) {
        exports.put(state.id(), state);
        try {
            onChange.accept(state);
        } catch (RuntimeException e) {
            log.warn("A listener of member export {} failed", state.id(), e);
        }
    }

    private static void print(MemberCsv csv, MemberRow row, long scannedAt) {
        try {
            csv.print(row, scannedAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode manifest(MemberExport export, Audience audience, long members,
                                java.util.Collection<CsvFile> files, long scannedAt) {
        ObjectNode manifest = json.createObjectNode();
        manifest.put("audience_id", audience.id());
        manifest.put("audience_name", audience.name());
        manifest.put("external_name", audience.externalName());
        manifest.put("definition_version", audience.definitionVersion());
        manifest.put("exported_at", clock.instant().toString());
        manifest.put("exported_by", owners.get(export.id()));
        manifest.put("members", members);
        manifest.putPOJO("identity_types", export.identityTypes());
        var list = manifest.putArray("files");
        for (CsvFile csv : files) {
            ObjectNode file = list.addObject();
            file.put("name", csv.name);
            file.put("variation", csv.variation);
            file.put("rows", csv.rows);
            file.put("members", csv.members);
            ObjectNode counts = file.putObject("identity_counts");
            export.identityTypes().forEach(type -> counts.put(type, csv.byType.getOrDefault(type, 0L)));
            file.put("min_scanned_timestamp_ms", scannedAt);
            file.put("max_scanned_timestamp_ms", scannedAt);
        }
        return manifest;
    }

    private static MemberExport progress(MemberExport export, long rows, boolean ready, String error) {
        return new MemberExport(export.id(), export.audienceId(), export.fileName(), export.identityTypes(), rows,
                export.expected(), ready, error, export.file(), export.startedAt());
    }

    /** Also between exports (every 10 minutes): a ZIP of personal data should not outlive its day on a quiet server. */
    @org.springframework.scheduling.annotation.Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT10M")
    void removeOld() {
        Instant cutoff = clock.instant().minus(KEPT);
        exports.values().removeIf(export -> {
            if (export.startedAt().isBefore(cutoff)) {
                owners.remove(export.id());
                try {
                    Files.deleteIfExists(export.file());
                } catch (IOException e) {
                    log.warn("Could not delete the old export {}", export.file(), e);
                }
                return true;
            }
            return false;
        });
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
