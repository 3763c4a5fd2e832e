package org.openaudience.audience.ui;

import org.openaudience.base.ui.Counts;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceHistory;
import org.openaudience.audience.DefinitionVersion;
import org.openaudience.audience.VersionChanges;

/**
 * The definition history, newest first, read page by page: who saved each version and when, a summary of its
 * changes, and — opened by a click on the row or its Changes button — the inline diff against the version before,
 * with Restore for an editor (any version but the current definition).
 */
class VersionHistory extends Grid<VersionChanges> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** Up to this many rows the grid is as tall as its rows; beyond it scrolls. */
    static final int ROWS_SHOWN = 10;

    private final AudienceHistory history;
    private final boolean mayEdit;
    private final Consumer<DefinitionVersion> restore;
    private Audience audience;

    VersionHistory(AudienceHistory history, boolean mayEdit, Consumer<DefinitionVersion> restore) {
        this.history = history;
        this.mayEdit = mayEdit;
        this.restore = restore;
        addColumn(changes -> changes.version().version()).setKey("version").setHeader("Version").setAutoWidth(true)
                .setFlexGrow(0);
        addColumn(changes -> changes.version().savedBy()).setKey("savedBy").setHeader("Saved by")
                .setAutoWidth(true).setFlexGrow(0);
        addColumn(changes -> TIME.format(changes.version().savedAt())).setKey("savedAt").setHeader("Saved")
                .setAutoWidth(true).setFlexGrow(0);
        addColumn(VersionHistory::summary).setKey("changes").setHeader("Changes").setFlexGrow(1)
                .setTooltipGenerator(changes -> String.join("\n", changes.sentences()));
        addComponentColumn(this::toggle).setKey("diff").setHeader("").setAutoWidth(true).setFlexGrow(0);
        setItemDetailsRenderer(new com.vaadin.flow.data.renderer.ComponentRenderer<>(this::details));
        setDetailsVisibleOnClick(true);
        setEmptyStateText("No saved versions.");
    }

    /** Shows the audience's versions; the one it has now is the current definition. */
    void show(Audience audience) {
        this.audience = audience;
        long audienceId = audience.id();
        int count = (int) history.versionCount(audienceId);
        setItems(new CallbackDataProvider<>(
                query -> history.versions(audienceId, query.getOffset(), query.getLimit()).stream(),
                query -> (int) history.versionCount(audienceId), changes -> changes.version().version()));
        setAllRowsVisible(count <= ROWS_SHOWN);
        setHeight(count <= ROWS_SHOWN ? null : "28rem");
    }

    /** e.g. "Created", "No changes", "2 changes: added criterion 2: …". */
    static String summary(VersionChanges changes) {
        if (changes.previous() == null) {
            return "Created";
        }
        var sentences = changes.sentences();
        if (sentences.isEmpty()) {
            return "No changes";
        }
        return Counts.of(sentences.size(), "change", "changes") + ": " + String.join("; ", sentences);
    }

    private Button toggle(VersionChanges changes) {
        Button toggle = new Button("Changes", click -> setDetailsVisible(changes, !isDetailsVisible(changes)));
        toggle.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        toggle.setAriaLabel("Changes of version " + changes.version().version());
        return toggle;
    }

    private Component details(VersionChanges changes) {
        Div details = new Div(new VersionDiff(changes));
        details.addClassName("version-details");
        DefinitionVersion version = changes.version();
        if (version.version() == audience.definitionVersion()) {
            details.add(note("This is the current definition."));
        } else if (version.definition().equals(audience.definition())) {
            details.add(note("Same criteria and inputs as the current definition (version "
                    + audience.definitionVersion() + ")."));
        } else if (mayEdit) {
            Button restoring = new Button("Restore version " + version.version(), click -> restore.accept(version));
            restoring.addThemeVariants(ButtonVariant.LUMO_SMALL);
            details.add(restoring);
        }
        return details;
    }

    private static Span note(String text) {
        Span note = new Span(text);
        note.addClassName("version-note");
        return note;
    }
}
