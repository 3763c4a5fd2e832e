package org.openaudience.audience.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.shared.Registration;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.openaudience.audience.AudienceHistory;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.CalculationRun;
import org.openaudience.audience.Estimate;
import org.openaudience.base.AccessRefusedException;
import org.openaudience.base.NotFoundException;
import org.openaudience.base.ui.Counts;
import org.openaudience.base.ui.PageTicker;
import java.util.List;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.indexing.IndexBuild;

/**
 * The audience page's header: name and status; the calculated size with the calculation's progress (the list's pie
 * and percentage) and when it was last calculated, pushed as they change; apart from those, the estimate of the
 * edits not saved yet; and the page's buttons, kept on one row.
 */
class AudienceHeader extends HorizontalLayout {

    /** How often an open page looks at its calculation while one runs; when none runs, every {@link #IDLE_TICKS}. */
    static final Duration TICK = Duration.ofSeconds(1);
    static final int IDLE_TICKS = 5;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final AudienceService audiences;
    private final AudienceHistory history;
    private final PageTicker ticker;
    final H2 title = new H2();
    final Span status = new Span();
    /** The complete membership's size ("1,204 members"); empty before the first calculation completes. */
    final Span size = new Span();
    /** The running calculation (pie and percentage), a failure, or "Not calculated yet". */
    final Span progress = new Span();
    final Span calculatedAt = new Span();
    /** The estimate of the editor's criteria: "≈ 1,152 users if saved" while there are unsaved edits. */
    final Span totalEstimate = new Span();
    /** Attribute indexes the definition will read once built: "Preparing index: destination (event attribute) 45 %". */
    final Span indexing = new Span();
    final Button download = new Button("Download members");
    final Button saveDraft = new Button("Save as Draft");
    final Button activate = new Button("Activate");
    final HorizontalLayout actions = new HorizontalLayout(saveDraft, activate);
    private Long audienceId;
    private CalculationProgress shown;
    private List<IndexBuild> shownBuilds = List.of();
    private CalculationRun lastDone;
    /** The estimate last shown, shown again when the first calculation ends. */
    private Estimate.Value estimate;
    private boolean estimateUnsaved;
    private int idleTicks;
    private Registration ticking;

    AudienceHeader(AudienceService audiences, AudienceHistory history, PageTicker ticker) {
        this.audiences = audiences;
        this.history = history;
        this.ticker = ticker;
        addClassName("audience-header");
        status.getElement().getThemeList().add("badge");
        size.addClassName("audience-calculated-size");
        progress.addClassName("calculation-progress");
        calculatedAt.addClassName("calculated-at");
        totalEstimate.addClassName("total-estimate");
        indexing.addClassName("attribute-indexing");
        activate.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout name = new HorizontalLayout(title, status);
        name.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        name.addClassName("audience-name-row");
        Div facts = new Div(size, progress, calculatedAt, totalEstimate, indexing);
        facts.addClassName("audience-facts");
        Div summary = new Div(name, facts);
        summary.addClassName("audience-summary");
        actions.setSpacing(true);
        HorizontalLayout buttons = new HorizontalLayout(download, actions);
        buttons.addClassName("audience-actions");
        add(summary, buttons);
        setWidthFull();
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        expand(summary);
    }

    /** Follows this audience's calculation from now on. */
    void watch(long audienceId) {
        this.audienceId = audienceId;
        shown = null;
        refresh();
    }

    /** Reads the calculation again and shows it (called by the page after it starts one, and by each tick). */
    void refresh() {
        if (audienceId == null) {
            return;
        }
        CalculationProgress now = audiences.progress(audienceId);
        // the last complete run changes only when a calculation ends, which may fall between two looks
        if (shown == null || (!now.calculating() && !now.equals(shown))) {
            boolean neverDone = lastDone == null;
            lastDone = history.runs(audienceId).stream().filter(run -> "DONE".equals(run.status())).findFirst()
                    .orElse(null);
            if (neverDone && lastDone != null) {
                // the first calculation just ended: its real size replaces the estimate of the saved criteria
                showEstimate(estimate, estimateUnsaved);
            }
        }
        if (!now.equals(shown)) {
            show(now, lastDone);
        }
        List<IndexBuild> builds = history.indexBuilds(audienceId);
        if (!builds.equals(shownBuilds)) {
            showIndexing(builds);
        }
    }

    /** Indexes being built for this audience's attributes; calculations are right meanwhile, only slower. */
    void showIndexing(List<IndexBuild> builds) {
        shownBuilds = builds;
        indexing.setText(builds.isEmpty() ? "" : (builds.size() == 1 ? "Preparing index: " : "Preparing indexes: ")
                + builds.stream().map(IndexBuild::describe).collect(java.util.stream.Collectors.joining(", ")));
        indexing.getElement().setAttribute("title", "Calculations read these attributes from every event or"
                + " profile until their index is ready; results are the same, only slower.");
    }

    /** One tick of the page's schedule: every tick while calculating, else every {@link #IDLE_TICKS}th. */
    void tick() {
        boolean calculating = (shown != null && shown.calculating()) || !shownBuilds.isEmpty();
        if (!calculating && ++idleTicks < IDLE_TICKS) {
            return;
        }
        idleTicks = 0;
        try {
            refresh();
        } catch (NotFoundException | AccessRefusedException gone) {
            stopTicking(); // deleted meanwhile, or the member lost access: the page says no more
            progress.setText(gone.getMessage());
        }
    }

    void show(CalculationProgress now, CalculationRun done) {
        shown = now;
        size.setText(done == null ? "" : Counts.of(now.size(), "member"));
        progress.removeAll();
        progress.getElement().removeAttribute("title");
        progress.getElement().getThemeList().clear();
        if (now.calculating()) {
            Span percent = new Span((done == null ? "Calculating — " : "Recalculating — ") + now.percent() + "%");
            percent.addClassName("calculation-percent");
            Span found = new Span(Counts.number(now.calculatingSize()) + " found so far");
            found.addClassName("calculation-found");
            progress.add(ProgressPie.pie(now.percent()), percent, found);
        } else if (now.lastError() != null) {
            progress.setText("Last calculation failed");
            progress.getElement().setAttribute("title", now.lastError());
            progress.getElement().getThemeList().add("badge error");
        } else if (done == null) {
            progress.setText(CalculationProgress.NEVER.equals(now) ? "Not calculated yet" : "");
        }
        calculatedAt.setText(done == null || done.finishedAt() == null ? ""
                : "calculated " + TIME.format(done.finishedAt()));
    }

    /**
     * The estimate of the editor's criteria: with unsaved edits, what the size would be if saved; without, the
     * estimate only for an audience never calculated (a calculated one shows its real size instead).
     */
    void showEstimate(Estimate.Value estimate, boolean unsaved) {
        this.estimate = estimate;
        this.estimateUnsaved = unsaved;
        if (estimate == null || (!unsaved && lastDone != null)) {
            totalEstimate.setText("");
            return;
        }
        String sample = " (from a " + estimate.samplePercent() + "% sample)";
        if (estimate.tooSmall()) {
            totalEstimate.setText((unsaved ? "Too small to estimate if saved" : "Too small to estimate") + sample);
        } else {
            totalEstimate.setText(CriteriaBuilder.describe(estimate) + (unsaved ? " if saved" : " estimated")
                    + sample);
        }
    }

    private void stopTicking() {
        if (ticking != null) {
            ticking.remove();
            ticking = null;
        }
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        super.onAttach(attach);
        stopTicking();
        ticking = ticker.every(attach.getUI(), TICK, this::tick);
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        stopTicking();
        super.onDetach(detach);
    }
}
