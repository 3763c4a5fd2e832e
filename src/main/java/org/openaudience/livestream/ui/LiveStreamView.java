package org.openaudience.livestream.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.provider.ListDataProvider;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.openaudience.base.AccessRefusedException;
import org.openaudience.input.InputService;
import org.openaudience.livestream.LiveStreamHub;
import org.openaudience.livestream.Direction;
import org.openaudience.livestream.StreamEvent;
import org.openaudience.livestream.StreamListener;
import org.openaudience.security.Role;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/**
 * Live Stream (PRODUCT.md §4): events of the current workspace as they arrive, newest first, the latest 500 kept.
 * Subscribes to the hub while attached; pushes updates to the browser.
 */
@Route("data/live-stream")
@PageTitle("Live Stream")
@Menu(order = 1, title = "Live Stream", icon = "vaadin:flash")
@RolesAllowed({Role.Names.ADMIN, Role.Names.SUPPORT, Role.Names.USER, Role.Names.READ_ONLY})
@AccessDeniedErrorRouter
public class LiveStreamView extends VerticalLayout implements StreamListener {

    static final int MAX_ROWS = 500;
    static final String ACCESS_ENDED = "Your access to this workspace's Live Stream ended";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final LiveStreamHub hub;
    private final Workspace workspace;
    private final LinkedList<StreamEvent> rows = new LinkedList<>();
    private final ListDataProvider<StreamEvent> data = new ListDataProvider<>(rows);
    final Grid<StreamEvent> grid = new Grid<>(StreamEvent.class, false);
    final Button pause = new Button("Pause", VaadinIcon.PAUSE.create());
    final Button clear = new Button("Clear Entries", VaadinIcon.TRASH.create());
    final Span status = new Span();
    final EventDetailsPanel details = new EventDetailsPanel(() -> grid.deselectAll());
    StreamFilters filters;
    private UI ui;
    private boolean paused;
    /** Events that arrived while paused, shown on Resume (the latest {@link #MAX_ROWS} of them). */
    private final LinkedList<StreamEvent> waiting = new LinkedList<>();
    private int sampleRate = 1;
    /** Set when the hub ended the subscription: the page keeps only the message and takes no more events. */
    private boolean ended;

    public LiveStreamView(LiveStreamHub hub, WorkspaceService workspaces, InputService inputs) {
        this.hub = hub;
        this.workspace = workspaces.currentWorkspace().orElse(null);
        addClassName("live-stream-view");
        setSizeFull();
        if (workspace == null) {
            add(new Paragraph("There is no workspace yet, so there is nothing to stream."));
            return;
        }
        filters = new StreamFilters(inputs.inputsOf(workspace.id()), this::applyFilter);
        add(filters, toolbar(), body());
        applyFilter();
        updateStatus();
    }

    private HorizontalLayout toolbar() {
        pause.addClickListener(click -> setPaused(!paused));
        clear.addClickListener(click -> {
            rows.clear();
            data.refreshAll();
            updateStatus();
        });
        status.addClassName("stream-status");
        HorizontalLayout toolbar = new HorizontalLayout(pause, clear, status);
        toolbar.setAlignItems(Alignment.CENTER);
        return toolbar;
    }

    private HorizontalLayout body() {
        // one line a row. Widths that add up to a 1280 px screen with the menu open: time, event type, environment and
        // MPID show in full (checked in Chromium, LiveStreamColumnsBrowserTest); longer values end in "…". Every
        // cell's full value is in its tooltip and in Event Details.
        column(e -> TIME.format(e.receivedAt()), "time", "Time (UTC)", "7rem", 0);
        column(e -> e.direction().label(), "direction", "Direction", "5rem", 0);
        column(StreamEvent::eventType, "type", "Event type", "11rem", 0);
        column(StreamEvent::eventName, "name", "Event name", "6rem", 1);
        column(e -> e.inputName() + (e.platform() == null ? "" : " · " + e.platform()), "input", "Input / platform",
                "6rem", 1);
        column(e -> Objects.toString(e.environment(), ""), "environment", "Environment", "7rem", 0);
        column(e -> e.mpid() != null ? e.mpid().toString() : Objects.toString(e.deviceId(), ""), "user",
                "MPID / device", "12.5rem", 0);
        column(StreamEvent::status, "status", "Status", "6rem", 1);
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setPartNameGenerator(e -> e.direction() == Direction.OUTBOUND && e.status().startsWith("Failed")
                ? "failed-delivery" : null);
        grid.setItems(data);
        grid.asSingleSelect().addValueChangeListener(event -> {
            if (event.getValue() != null) {
                setPaused(true);
                details.show(event.getValue());
            }
        });
        grid.setSizeFull();
        HorizontalLayout body = new HorizontalLayout(grid, details);
        body.setSizeFull();
        body.setFlexGrow(2, grid);
        body.setFlexGrow(1, details);
        return body;
    }

    private void column(com.vaadin.flow.function.SerializableFunction<StreamEvent, String> value, String key,
                        String header, String width, int flexGrow) {
        grid.addColumn(value::apply).setKey(key).setHeader(header).setWidth(width).setFlexGrow(flexGrow)
                .setTooltipGenerator(value).setResizable(true);
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        ui = attachEvent.getUI();
        if (workspace != null && !ended) {
            try {
                hub.subscribe(workspace.id(), this);
            } catch (AccessRefusedException refused) {
                // pages know the roles of the sign-in; the member's access changed since
                endStream(refused.getMessage().replaceFirst("\\.$", ""));
            }
        }
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        if (workspace != null && !ended) {
            hub.unsubscribe(workspace.id(), this);
        }
        ui = null;
        super.onDetach(detachEvent);
    }

    /** Called on the hub's dispatcher thread: hands the events to this page's UI thread. */
    @Override
    public void onEvents(List<StreamEvent> events, int rate) {
        UI target = ui;
        if (target == null) {
            return;
        }
        try {
            target.access(() -> receive(events, rate));
        } catch (UIDetachedException e) {
            // the tab closed before onDetach ran: stop listening
            hub.unsubscribe(workspace.id(), this);
        }
    }

    /** Called on the hub's dispatcher thread when the member may no longer watch this workspace's stream. */
    @Override
    public void onAccessEnded(String reason) {
        UI target = ui;
        if (target == null) {
            return;
        }
        try {
            target.access(() -> endStream(reason));
        } catch (UIDetachedException e) {
            // the tab closed meanwhile: nothing left to tell
        }
    }

    /** Drops what the page holds (the member may no longer see it) and says why in its place. */
    void endStream(String reason) {
        ended = true;
        rows.clear();
        waiting.clear();
        details.close();
        removeAll();
        Paragraph message = new Paragraph(ACCESS_ENDED + ": " + reason + ".");
        message.addClassName("stream-ended");
        add(message);
    }

    void receive(List<StreamEvent> events, int rate) {
        if (ended) {
            return;
        }
        if (paused) {
            waiting.addAll(events);
            while (waiting.size() > MAX_ROWS) {
                waiting.removeFirst();
            }
            updateStatus();
            return;
        }
        sampleRate = rate;
        show(events);
        data.refreshAll();
        updateStatus();
    }

    private void show(List<StreamEvent> events) {
        for (StreamEvent event : events) {
            rows.addFirst(event);
        }
        while (rows.size() > MAX_ROWS) {
            rows.removeLast();
        }
        filters.rememberIds(events.stream()
                .flatMap(e -> Stream.of(e.mpid() == null ? null : e.mpid().toString(), e.deviceId()))
                .filter(Objects::nonNull).distinct().toList());
    }

    private void applyFilter() {
        StreamFilter filter = filters.filter();
        data.setFilter(filter::matches);
    }

    void setPaused(boolean pausedNow) {
        paused = pausedNow;
        if (!paused && !waiting.isEmpty()) {
            show(new ArrayList<>(waiting));
            waiting.clear();
            data.refreshAll();
        }
        pause.setText(paused ? "Resume" : "Pause");
        pause.setIcon(paused ? VaadinIcon.PLAY.create() : VaadinIcon.PAUSE.create());
        updateStatus();
    }

    private void updateStatus() {
        List<String> parts = new ArrayList<>();
        parts.add(paused ? "Paused" : "Live");
        parts.add(rows.size() + " kept (latest " + MAX_ROWS + ")");
        if (sampleRate > 1) {
            parts.add("showing 1 in " + sampleRate + " events");
        }
        if (paused && !waiting.isEmpty()) {
            parts.add(waiting.size() + " waiting, shown on Resume");
        }
        status.setText(String.join(" · ", parts));
    }
}
