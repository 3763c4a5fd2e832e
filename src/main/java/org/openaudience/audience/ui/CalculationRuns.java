package org.openaudience.audience.ui;

import org.openaudience.base.ui.Counts;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.openaudience.audience.AudienceHistory;
import org.openaudience.audience.CalculationRun;

/**
 * An audience's calculation runs, newest first, read page by page: what started each (activation, an edit, a retry),
 * its outcome, duration, the size it found when it completed — not the size now, which real time keeps changing —
 * and why it failed.
 */
class CalculationRuns extends Grid<CalculationRun> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    static final String NOT_RECORDED = "—";

    private final AudienceHistory history;
    private long audienceId;

    CalculationRuns(AudienceHistory history) {
        this.history = history;
        addColumn(CalculationRun::generation).setKey("run").setHeader("Run").setAutoWidth(true).setFlexGrow(0);
        addColumn(CalculationRun::definitionVersion).setKey("version").setHeader("Version").setAutoWidth(true)
                .setFlexGrow(0);
        addColumn(CalculationRuns::trigger).setKey("trigger").setHeader("Trigger").setAutoWidth(true)
                .setTooltipGenerator(run -> run.trigger() == null ? "Not recorded for runs from before triggers "
                        + "were kept" : null);
        addColumn(CalculationRuns::status).setKey("status").setHeader("Status").setAutoWidth(true);
        addColumn(run -> TIME.format(run.startedAt())).setKey("started").setHeader("Started").setAutoWidth(true);
        addColumn(run -> run.finishedAt() == null ? "" : duration(Duration.between(run.startedAt(),
                run.finishedAt()))).setKey("duration").setHeader("Duration").setAutoWidth(true);
        addColumn(CalculationRuns::size).setKey("size").setHeader("Size at completion").setAutoWidth(true)
                .setTooltipGenerator(CalculationRuns::sizeTooltip);
        addColumn(run -> run.error() == null ? "" : run.error()).setKey("error").setHeader("Error").setFlexGrow(1)
                .setTooltipGenerator(CalculationRun::error);
        addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        setEmptyStateText("Never calculated: a draft calculates when it is activated.");
    }

    /** Reads the audience's runs again (a new run shows when the tab is opened again). */
    void show(long audienceId) {
        this.audienceId = audienceId;
        int count = (int) history.runCount(audienceId);
        setItems(new CallbackDataProvider<>(
                query -> history.runs(audienceId, query.getOffset(), query.getLimit()).stream(),
                query -> (int) history.runCount(audienceId), CalculationRun::generation));
        setAllRowsVisible(count <= VersionHistory.ROWS_SHOWN);
        setHeight(count <= VersionHistory.ROWS_SHOWN ? null : "28rem");
    }

    void refresh() {
        if (audienceId != 0) {
            show(audienceId);
        }
    }

    static String trigger(CalculationRun run) {
        return run.trigger() == null ? NOT_RECORDED : run.trigger().label();
    }

    static String status(CalculationRun run) {
        return run.status().charAt(0) + run.status().substring(1).toLowerCase(Locale.ROOT);
    }

    /** The size found at completion; a running run's members so far; nothing for an unfinished one. */
    static String size(CalculationRun run) {
        return switch (run.status()) {
            case "DONE" -> run.sizeAtCompletion() == null ? NOT_RECORDED : Counts.number(run.sizeAtCompletion());
            case "RUNNING" -> Counts.number(run.size()) + " so far";
            default -> "";
        };
    }

    private static String sizeTooltip(CalculationRun run) {
        if ("DONE".equals(run.status()) && run.sizeAtCompletion() == null) {
            return "Not recorded for runs completed before sizes at completion were kept";
        }
        return "SUPERSEDED".equals(run.status()) ? "Stopped before completing: a newer run replaced it"
                : "FAILED".equals(run.status()) ? "Stopped before completing" : null;
    }

    /** e.g. "0.8 s", "42 s", "3 min 5 s", "1 h 2 min". */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 10_000) {
            return String.format(Locale.US, "%.1f s", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
