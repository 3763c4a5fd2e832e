package org.openaudience.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.openaudience.audience.MemberExport;
import org.openaudience.audience.MemberExports;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;

/** What the Download dialog gives a member: the export's ZIP, read back as its CSV files by name. */
public final class UiDownloads {

    private UiDownloads() {
    }

    /**
     * Starts the dialog's export as the member, waits for it, and returns its files.
     *
     * @param variationOf the dialog's variation naming, or null without an A/B test
     */
    public static Map<String, String> download(MemberExports exports, Member member, long audienceId,
                                               Set<String> identityTypes, LongFunction<String> variationOf) {
        MemberExport started = RunAs.member(member.getEmail(), member.getRole(), () -> exports.start(audienceId,
                identityTypes, variationOf, change -> { }));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        MemberExport export = started;
        while (!export.ready() && export.error() == null && System.nanoTime() < deadline) {
            sleep();
            export = RunAs.member(member.getEmail(), member.getRole(), () -> exports.export(started.id()));
        }
        assertThat(export.ready()).as(String.valueOf(export.error())).isTrue();
        Map<String, String> files = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(export.file()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                zip.transferTo(bytes);
                files.put(entry.getName(), bytes.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
