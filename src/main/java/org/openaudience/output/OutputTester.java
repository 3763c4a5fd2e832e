package org.openaudience.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.openaudience.base.InvalidRequestException;
import org.springframework.stereotype.Service;

/**
 * Setup › Outputs › Test: tries an output before anything is connected to it. A webhook gets a signed message with
 * no members and a {@code delivery_id} starting with {@code test-}; a file drop's folder is checked by writing and
 * removing a file, so no consumer ever picks up a test file.
 */
@Service
public class OutputTester {

    private final OutputService outputs;
    private final WebhookSender webhooks;
    private final FileDropRoot fileDropRoot;
    private final Clock clock;

    OutputTester(OutputService outputs, WebhookSender webhooks, FileDropRoot fileDropRoot, Clock clock) {
        this.outputs = outputs;
        this.webhooks = webhooks;
        this.fileDropRoot = fileDropRoot;
        this.clock = clock;
    }

    /** What the output answered; a refusal is an {@link InvalidRequestException} with the reason. */
    public String test(long outputId) {
        Output output = outputs.output(outputId); // checks Setup › Outputs access
        return output.kind() == OutputKind.WEBHOOK ? testWebhook(output) : testFolder(output);
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
