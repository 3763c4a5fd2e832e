package org.openaudience.audience;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
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
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
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
 * background to a ZIP with {@code members.csv} (one row per member, one column per identity type) and
 * {@code manifest.json}. Exports are kept for a day, for the member who started them.
 */
@Service
public class MemberExports {

    private static final Logger log = LoggerFactory.getLogger(MemberExports.class);
    static final Duration KEPT = Duration.ofDays(1);

    private final AudienceService audiences;
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

    MemberExports(AudienceService audiences, CalculationEngine calculations, AccessGuard guard, JdbcClient jdbc,
                  ObjectMapper json, Clock clock) throws IOException {
        this.audiences = audiences;
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
        Audience audience = audiences.audience(audienceId);
        String email = guard.require(Capability.DOWNLOAD_AUDIENCES, audience.workspaceId()).email();
        removeOld();
        List<String> types = new ArrayList<>(new java.util.TreeSet<>(identityTypes));
        String id = UUID.randomUUID().toString();
        String fileName = audience.name().replaceAll("[^A-Za-z0-9._-]+", "-") + "-members.zip";
        MemberExport export = new MemberExport(id, audienceId, fileName, List.copyOf(types), 0,
                calculations.progress(audienceId).size(), false, null, directory.resolve(id + ".zip"),
                clock.instant());
        exports.put(id, export);
        owners.put(id, email);
        // the service checks run on the worker thread as the member who asked
        workers.execute(new DelegatingSecurityContextRunnable(() -> write(export, audience, onChange)));
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

    /** The CSV header of §3.5: one row per identity; a member without the chosen identities gets one empty row. */
    static final String[] HEADER = {"mpid", "scanned_timestamp_ms", "identity_value", "identity_type"};

    private void write(MemberExport started, Audience audience, java.util.function.Consumer<MemberExport> onChange) {
        long[] members = {0};
        long[] rows = {0};
        Map<String, Long> byType = new TreeMap<>();
        // the moment the membership is read; every row of this export carries it
        long scannedAt = clock.millis();
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(started.file()))) {
            zip.putNextEntry(new ZipEntry("members.csv"));
            Writer writer = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(HEADER).get());
            long[] previous = {0};
            boolean[] any = {false};
            audiences.streamMembers(audience.id(), Set.copyOf(started.identityTypes()), row -> {
                if (!any[0] || row.mpid() != previous[0]) {
                    members[0]++;
                    if (members[0] % 1_000 == 0) {
                        report(progress(started, members[0], false, null), onChange);
                    }
                }
                any[0] = true;
                previous[0] = row.mpid();
                print(csv, row.mpid(), scannedAt, row.identityValue(), row.identityType());
                rows[0]++;
                if (row.identityType() != null) {
                    byType.merge(row.identityType(), 1L, Long::sum);
                }
            });
            csv.flush();
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest(started, audience,
                    members[0], rows[0], byType, scannedAt)));
            zip.closeEntry();
            zip.finish();
            report(progress(started, members[0], true, null), onChange);
        } catch (IOException | RuntimeException e) {
            log.error("Member export {} of audience {} failed", started.id(), audience.id(), e);
            try {
                Files.deleteIfExists(started.file());
            } catch (IOException cleanup) {
                log.warn("Could not delete the failed export {}", started.file(), cleanup);
            }
            report(progress(started, members[0], false, "The export failed: " + e.getMessage()), onChange);
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

    private static void print(CSVPrinter csv, long mpid, long scannedAt, String value, String type) {
        try {
            csv.printRecord(mpid, scannedAt, value == null ? "" : value, type == null ? "" : type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode manifest(MemberExport export, Audience audience, long members, long rows,
                                Map<String, Long> byType, long scannedAt) {
        ObjectNode manifest = json.createObjectNode();
        manifest.put("audience_id", audience.id());
        manifest.put("audience_name", audience.name());
        manifest.put("external_name", audience.externalName());
        manifest.put("definition_version", audience.definitionVersion());
        manifest.put("exported_at", clock.instant().toString());
        manifest.put("exported_by", owners.get(export.id()));
        manifest.put("members", members);
        manifest.putPOJO("identity_types", export.identityTypes());
        ObjectNode file = manifest.putArray("files").addObject();
        file.put("name", "members.csv");
        file.put("variation", "All members");
        file.put("rows", rows);
        file.put("members", members);
        ObjectNode counts = file.putObject("identity_counts");
        export.identityTypes().forEach(type -> counts.put(type, byType.getOrDefault(type, 0L)));
        file.put("min_scanned_timestamp_ms", scannedAt);
        file.put("max_scanned_timestamp_ms", scannedAt);
        return manifest;
    }

    private static MemberExport progress(MemberExport export, long rows, boolean ready, String error) {
        return new MemberExport(export.id(), export.audienceId(), export.fileName(), export.identityTypes(), rows,
                export.expected(), ready, error, export.file(), export.startedAt());
    }

    private void removeOld() {
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
