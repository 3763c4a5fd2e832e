package org.openaudience.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputCredentials;
import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.workspace.Workspace;

/** Sends Events API batches through the real parser and ingestion service, as the API controller does. */
public class TestEvents {

    private final InputService inputs;
    private final IngestionService ingestion;
    private final BatchParser parser;
    private final Clock clock;
    private final TestMembers members;

    public TestEvents(InputService inputs, IngestionService ingestion, BatchParser parser, Clock clock,
                      TestMembers members) {
        this.inputs = inputs;
        this.ingestion = ingestion;
        this.parser = parser;
        this.clock = clock;
        this.members = members;
    }

    /** A new Web input of the workspace, created by the test Admin. */
    public Input webInput(Workspace workspace) {
        InputCredentials credentials = members.asAdmin(() -> inputs.addInput(workspace.id(),
                "Web " + TestMembers.unique(), Platform.WEB));
        return inputs.findByCredentials(credentials.apiKey(), credentials.secret()).orElseThrow();
    }

    /** One {@code POST /v2/events} body; committed when this returns. */
    public void send(Input input, String batchJson) {
        ingestion.ingest(input, parser.parseSingle(batchJson.getBytes(StandardCharsets.UTF_8), "web",
                clock.instant()));
    }
}
