package org.openaudience.output;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.openaudience.base.CsvCells;
import org.openaudience.profile.Identity;
import org.springframework.stereotype.Component;

/**
 * Writes each batch as one CSV file in the output's folder, text cells neutralised for spreadsheets
 * ({@link CsvCells}). The name holds the connection and its batch number, so files sort in delivery order and a
 * retried batch replaces its own file instead of adding a second one; files appear whole (written aside, then moved
 * into place).
 */
@Component
class FileDropSender implements Sender {

    /** One row per identity like downloads (§3.5); a member without the chosen identities gets one empty one. */
    static final String[] HEADER = {"external_name", "mpid", "action", "timestamp_ms", "identity_type",
            "identity_value"};

    private final FileDropRoot root;

    FileDropSender(FileDropRoot root) {
        this.root = root;
    }

    @Override
    public OutputKind kind() {
        return OutputKind.FILE_DROP;
    }

    @Override
    public String send(Output output, Delivery delivery) throws DeliveryFailure {
        Path folder = root.resolve(output.workspaceId(), output.folder());
        Path file = folder.resolve(fileName(delivery));
        Path partial = folder.resolve("." + file.getFileName() + ".partial");
        try {
            Files.createDirectories(folder);
            try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
                 CSVPrinter csv = CSVFormat.DEFAULT.builder().setHeader(HEADER).get().print(writer)) {
                for (MemberUpdate update : delivery.members()) {
                    if (update.identities().isEmpty()) {
                        CsvCells.printRecord(csv, delivery.externalName(), update.mpid(), update.action(),
                                update.timestampMs(), "", "");
                    }
                    for (Identity identity : update.identities()) {
                        CsvCells.printRecord(csv, delivery.externalName(), update.mpid(), update.action(),
                                update.timestampMs(), identity.type(), identity.value());
                    }
                }
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the folder as the output names it: people without Setup › Outputs see this too
            throw new DeliveryFailure("Could not write " + file.getFileName() + " in folder " + output.folder() + ": "
                    + e.getClass().getSimpleName(), e);
        }
        return "Wrote " + file.getFileName();
    }

    /** e.g. {@code paris-premium-viewers-control-c12-000000003.csv}. */
    static String fileName(Delivery delivery) {
        String slug = delivery.externalName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-+|-+$)", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60);
        }
        return (slug.isEmpty() ? "audience" : slug) + "-c" + delivery.connectionId() + "-"
                + String.format(Locale.ROOT, "%09d", delivery.sequence()) + ".csv";
    }
}
