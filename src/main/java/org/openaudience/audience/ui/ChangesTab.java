package org.openaudience.audience.ui;

import org.openaudience.base.AccessRefusedException;
import org.openaudience.base.ui.Counts;
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
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.data.provider.ListDataProvider;
import com.vaadin.flow.shared.Registration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import org.openaudience.audience.MembershipChangeListener;
import org.openaudience.audience.MembershipChangeRow;
import org.openaudience.audience.MembershipChanges;
import org.openaudience.base.NotFoundException;

/**
 * The audience's Changes tab (issue #16): users entering and leaving as it happens, pushed from the membership change
 * log while the tab is open (newest first, the latest {@link #MAX_ROWS} kept), with Pause / Resume, and the adds and
 * drops per hour of the last 7 days. Subscribed only while the tab is chosen and the page open (leaving the page or
 * closing the browser tab detaches it).
 */
class ChangesTab extends VerticalLayout implements MembershipChangeListener {

    static final int MAX_ROWS = 200;
    static final int FIRST_ROWS = 50;
    static final String ACCESS_ENDED = "Your access to this audience's changes ended";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final int SHOWN_IDENTITIES = 3;

    private final MembershipChanges changes;
    private final long audienceId;
    private final LinkedList<MembershipChangeRow> rows = new LinkedList<>();
    private final ListDataProvider<MembershipChangeRow> data = new ListDataProvider<>(rows);
    final Grid<MembershipChangeRow> grid = new Grid<>();
    final Button pause = new Button("Pause", VaadinIcon.PAUSE.create());
    final Span status = new Span();
    final ChangesChart chart = new ChangesChart();
    /** Changes that arrived while paused, shown on Resume (the latest {@link #MAX_ROWS}). */
    private final LinkedList<MembershipChangeRow> waiting = new LinkedList<>();
    private UI ui;
    private Registration selection;
    private boolean subscribed;
    private boolean paused;
    private boolean ended;
    /** The newest change id on screen or waiting: a push never shows a change twice. */
    private long lastId;
    private long notListed;

    ChangesTab(MembershipChanges changes, long audienceId) {
        this.changes = changes;
        this.audienceId = audienceId;
        addClassName("changes-tab");
        setSizeFull();
        pause.addClickListener(click -> setPaused(!paused));
        status.addClassName("changes-status");
        // announced to screen readers as it changes
        status.getElement().setAttribute("aria-live", "polite");
        HorizontalLayout toolbar = new HorizontalLayout(pause, status);
        toolbar.setAlignItems(Alignment.CENTER);
        Paragraph intro = new Paragraph("Users entering and leaving this audience as it happens: by new data (real "
                + "time), by time passing (expiry) and by recalculations. The members of its first calculation are "
                + "where it starts: counted in the chart, not listed.");
        intro.addClassName("changes-intro");
        add(intro, toolbar, grid(), chart);
    }

    private Grid<MembershipChangeRow> grid() {
        grid.addColumn(row -> TIME.format(row.changedAt())).setKey("time").setHeader("Time (UTC)")
                .setWidth("10.5rem").setFlexGrow(0);
        grid.addColumn(row -> (row.added() ? "Added" : "Removed") + " · " + row.causeLabel()).setKey("change")
                .setHeader("Change").setWidth("9.5rem").setFlexGrow(0)
                .setPartNameGenerator(row -> row.added() ? "membership-added" : "membership-removed");
        grid.addComponentColumn(ChangeCells::mpid).setKey("mpid").setHeader("MPID").setWidth("13rem").setFlexGrow(0);
        grid.addColumn(row -> ChangeCells.identities(row, SHOWN_IDENTITIES)).setKey("identities").setHeader("Identities")
                .setFlexGrow(1).setTooltipGenerator(row -> ChangeCells.identities(row, Integer.MAX_VALUE));
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.setItems(data);
        grid.setWidthFull();
        grid.setMinHeight("10rem");
        grid.setHeight("15rem");
        grid.getElement().setAttribute("aria-label", "Membership changes, newest first");
        return grid;
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        ui = attachEvent.getUI();
        // a tab sheet keeps every tab's content attached: follow the selection, so only a chosen tab subscribes
        TabSheet sheet = findAncestor(TabSheet.class);
        if (sheet != null) {
            selection = sheet.addSelectedChangeListener(change -> follow(sheet));
        }
        follow(sheet);
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        if (selection != null) {
            selection.remove();
            selection = null;
        }
        stop();
        ui = null;
        super.onDetach(detachEvent);
    }

    private void follow(TabSheet sheet) {
        boolean shown = sheet == null || sheet.getTab(this).equals(sheet.getSelectedTab());
        if (shown && !subscribed) {
            start();
        } else if (!shown && subscribed) {
            stop();
        }
    }

    /** Subscribes, then reads the chart and the newest changes: nothing committed in between is missed. */
    private void start() {
        if (ended) {
            return;
        }
        try {
            changes.subscribe(audienceId, this);
            subscribed = true;
            chart.show(changes.hourly(audienceId));
            rows.clear();
            waiting.clear();
            notListed = 0;
            lastId = 0;
            // a push of changes read here too shows nothing twice: it skips ids up to lastId
            show(changes.latest(audienceId, FIRST_ROWS));
            data.refreshAll();
            updateStatus();
        } catch (NotFoundException | AccessRefusedException refused) {
            stop();
            endFeed(refused.getMessage().replaceFirst("\\.$", ""));
        }
    }

    private void stop() {
        changes.unsubscribe(audienceId, this);
        subscribed = false;
    }

    /** On the feed's dispatcher thread: hands the changes to this tab's UI thread. */
    @Override
    public void onChanges(List<MembershipChangeRow> pushed, long notShownAdds, long notShownDrops) {
        UI target = ui;
        if (target == null) {
            return;
        }
        try {
            target.access(() -> receive(pushed, notShownAdds, notShownDrops));
        } catch (UIDetachedException e) {
            // the page closed before onDetach ran: stop listening
            stop();
        }
    }

    /** On the feed's dispatcher thread when the member may no longer see the audience. */
    @Override
    public void onAccessEnded(String reason) {
        UI target = ui;
        if (target == null) {
            return;
        }
        try {
            target.access(() -> endFeed(reason));
        } catch (UIDetachedException e) {
            // the page closed meanwhile: nothing left to tell
        }
    }

    void receive(List<MembershipChangeRow> pushed, long notShownAdds, long notShownDrops) {
        if (ended) {
            return;
        }
        List<MembershipChangeRow> fresh = pushed.stream().filter(row -> row.id() > lastId).toList();
        if (fresh.isEmpty()) {
            return;
        }
        count(fresh, notShownAdds, notShownDrops);
        notListed = notShownAdds + notShownDrops;
        if (paused) {
            waiting.addAll(fresh);
            while (waiting.size() > MAX_ROWS) {
                waiting.removeFirst();
            }
            lastId = fresh.get(fresh.size() - 1).id();
        } else {
            show(fresh);
            data.refreshAll();
        }
        updateStatus();
    }

    /** Adds the pushed changes to the chart; once one falls past its last hour, the chart is read again. */
    private void count(List<MembershipChangeRow> fresh, long notShownAdds, long notShownDrops) {
        if (chart.data() == null || fresh.stream().anyMatch(row -> !row.changedAt().isBefore(chart.data().end()))) {
            chart.show(changes.hourly(audienceId));
            return;
        }
        var counted = chart.data().plus(fresh.get(0).changedAt(), notShownAdds, notShownDrops);
        for (MembershipChangeRow row : fresh) {
            counted = counted.plus(row.changedAt(), row.added() ? 1 : 0, row.added() ? 0 : 1);
        }
        chart.show(counted);
    }

    /** Puts the changes (oldest first) on top of the list. */
    private void show(List<MembershipChangeRow> added) {
        for (MembershipChangeRow row : added) {
            rows.addFirst(row);
            lastId = Math.max(lastId, row.id());
        }
        while (rows.size() > MAX_ROWS) {
            rows.removeLast();
        }
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

    /** Drops what the tab holds (the member may no longer see it) and says why in its place. */
    void endFeed(String reason) {
        ended = true;
        rows.clear();
        waiting.clear();
        removeAll();
        Paragraph message = new Paragraph(ACCESS_ENDED + ": " + reason + ".");
        message.addClassName("changes-ended");
        add(message);
    }

    private void updateStatus() {
        List<String> parts = new ArrayList<>();
        parts.add(paused ? "Paused" : "Live");
        parts.add(rows.isEmpty() ? "no changes yet" : Counts.of(rows.size(), "change", "changes")
                + " shown (latest " + MAX_ROWS + ")");
        if (paused && !waiting.isEmpty()) {
            parts.add(Counts.of(waiting.size(), "change", "changes") + " waiting, shown on Resume");
        }
        if (notListed > 0) {
            parts.add(Counts.of(notListed, "older change", "older changes")
                    + " of the last update counted in the chart, not listed");
        }
        status.setText(String.join(" · ", parts));
    }
}
