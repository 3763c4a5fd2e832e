package org.openaudience.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.springframework.stereotype.Service;

/**
 * Setup › Outputs › Test: tries an output before anything is connected to it. A webhook gets a signed message with
 * no members and a {@code delivery_id} starting with {@code test-}; a file drop's folder is checked by writing and
 * removing a file, so no consumer ever picks up a test file. Each test is audited with its outcome: it makes the
 * server send a request wherever the output points.
 */
@Service
public class OutputTester {

    private final OutputService outputs;
    private final WebhookSender webhooks;
    private final FileDropRoot fileDropRoot;
    private final AuditLog audit;
    private final Clock clock;

    OutputTester(OutputService outputs, WebhookSender webhooks, FileDropRoot fileDropRoot, AuditLog audit,
                 Clock clock) {
        this.outputs = outputs;
        this.webhooks = webhooks;
        this.fileDropRoot = fileDropRoot;
        this.audit = audit;
        this.clock = clock;
    }

    /** What the output answered; a refusal is an {@link InvalidRequestException} with the reason. */
    public String test(long outputId) {
        Output output = outputs.output(outputId); // checks Setup › Outputs access
        try {
            String outcome = output.kind() == OutputKind.WEBHOOK ? testWebhook(output) : testFolder(output);
            record(output, outcome);
            return outcome;
        } catch (InvalidRequestException failed) {
            record(output, failed.getMessage());
            throw failed;
        }
    }

    private void record(Output output, String outcome) {
        audit.record(AuditAction.OUTPUT_TESTED, output.name(), output.kind().label() + " "
                + output.shortDestination() + ": " + outcome, output.workspaceId());
    }

    private String testWebhook(Output output) {
        Delivery empty = new Delivery("test-" + clock.millis(), 0, 0, 0, "OpenAudience test", "OpenAudience test",
                null, List.of());
        try {
            return "The receiver answered " + webhooks.send(output, empty) + " to a signed test message.";
        } catch (DeliveryFailure failure) {
            throw new InvalidRequestException(null, "The test message failed: " + failure.getMessage());
        }
    }

    private String testFolder(Output output) {
        Path folder = fileDropRoot.resolve(output.workspaceId(), output.folder());
        try {
            Files.createDirectories(folder);
            Path probe = Files.createTempFile(folder, ".openaudience-test-", ".tmp");
            Files.delete(probe);
            return "The server can write files in " + output.folder() + ".";
        } catch (IOException e) {
            throw new InvalidRequestException(null, "The server cannot write in " + output.folder() + ": "
                    + e.getClass().getSimpleName());
        }
    }
}
