package org.openaudience.livestream.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.UI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IncomingBatch;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.livestream.LiveStreamHub;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * 20 open Live Stream pages while thousands of events are ingested: the ingest path pays only for the bounded
 * queue. Prints the measured ingest time ratio (with / without watchers); asserts only what must hold: every page
 * stays bounded and nothing stays subscribed or queued once the pages are gone.
 */
class LiveStreamLoadTest extends KaribuTest {

    static final int PAGES = 20;
    static final int REQUESTS = 20;

    @Autowired
    LiveStreamHub hub;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;

    @Test
    void twenty_open_pages_cost_ingestion_only_the_queue_and_leave_nothing_behind() {
        Workspace workspace = members.workspace("Load");
        Input input = new TestEvents(inputs, ingestion, parser, clock, members).webInput(workspace);
        Member member = members.member(Role.USER, workspace);
        RunAs.member(member.getEmail(), Role.USER, () -> workspaces.switchTo(workspace.id()));
        login(member);
        int subscribersBefore = hub.subscriberCount();

        ingest(input, 10); // warm-up: JIT and buffer pool
        long withoutWatchers = ingest(input, REQUESTS);

        navigate("data/live-stream");
        List<LiveStreamView> pages = new ArrayList<>();
        pages.add((LiveStreamView) UI.getCurrent().getInternals().getActiveRouterTargetsChain().get(0));
        for (int i = 1; i < PAGES; i++) {
            LiveStreamView page = new LiveStreamView(hub, workspaces, inputs);
            UI.getCurrent().add(page);
            pages.add(page);
        }
        assertThat(hub.subscriberCount()).isEqualTo(subscribersBefore + PAGES);
        long withWatchers = ingest(input, REQUESTS);
        hub.dispatch();
        MockVaadin.clientRoundtrip();

        System.out.printf("%nLive Stream load: %d requests x 1,000 events; ingest %d ms without watchers, %d ms with"
                        + " %d open pages (ratio %.3f); %d events dropped from the stream by the full queue%n",
                REQUESTS, withoutWatchers / 1_000_000, withWatchers / 1_000_000, PAGES,
                (double) withWatchers / withoutWatchers, hub.droppedCount());
        pages.forEach(page -> assertThat(page.grid.getListDataView().getItemCount())
                .isBetween(1, LiveStreamView.MAX_ROWS));

        pages.forEach(page -> page.getElement().removeFromParent());
        navigate("");
        assertThat(hub.subscriberCount()).isEqualTo(subscribersBefore);
        ingest(input, 2);
        hub.dispatch();
        assertThat(hub.subscriberCount()).isEqualTo(subscribersBefore);
    }

    /** Sends requests of 100 development batches x 10 events; returns the nanoseconds ingestion took. */
    private long ingest(Input input, int requests) {
        List<List<IncomingBatch>> bodies = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            StringBuilder bulk = new StringBuilder("[");
            for (int b = 0; b < 100; b++) {
                bulk.append(b == 0 ? "" : ",").append("{\"environment\":\"development\",\"user_identities\":")
                        .append("{\"customer_id\":\"load-").append(b).append("\"},\"events\":[");
                for (int e = 0; e < 10; e++) {
                    bulk.append(e == 0 ? "" : ",").append("{\"event_type\":\"custom_event\",\"data\":")
                            .append("{\"event_name\":\"Play Video\",\"custom_attributes\":{\"n\":\"").append(e)
                            .append("\"}}}");
                }
                bulk.append("]}");
            }
            bodies.add(parser.parseBulk(bulk.append("]").toString().getBytes(StandardCharsets.UTF_8), "web",
                    clock.instant()));
        }
        long start = System.nanoTime();
        bodies.forEach(batches -> ingestion.ingest(input, batches));
        return System.nanoTime() - start;
    }
}
