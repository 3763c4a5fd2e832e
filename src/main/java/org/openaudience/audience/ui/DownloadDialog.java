package org.openaudience.audience.ui;

import org.openaudience.base.ui.Counts;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.shared.Registration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.openaudience.abtest.AbTest;
import org.openaudience.abtest.AbTestService;
import org.openaudience.abtest.Variation;
import org.openaudience.audience.Audience;
import org.openaudience.audience.MemberExport;
import org.openaudience.audience.MemberExports;
import org.openaudience.base.InvalidRequestException;

/**
 * Download members (PRODUCT.md §3.5): choose identity types — and, when the audience has a saved A/B test, which
 * variations (all, or some: one CSV each) — export in the background with progress, then download the ZIP (the
 * CSVs and manifest.json).
 */
class DownloadDialog extends Dialog {

    static final int POLL_MS = 500;

    private final MemberExports exports;
    final CheckboxGroup<String> identityTypes = new CheckboxGroup<>("Identities to include");
    /** The saved A/B test's variations, all chosen at first; absent without a saved test. */
    final CheckboxGroup<String> variations = new CheckboxGroup<>("Variations to export");
    final Button start = new Button("Prepare download");
    final ProgressBar progress = new ProgressBar();
    final Paragraph status = new Paragraph();
    final Anchor download = new Anchor();
    private MemberExport export;
    private Registration polling;
    private int previousPollInterval = -1;

    DownloadDialog(Audience audience, MemberExports exports, AbTestService abTests) {
        this.exports = exports;
        Optional<AbTest> test = abTests.test(audience.id()).filter(AbTest::saved);
        LongFunction<String> variationOf = test.<LongFunction<String>>map(saved -> mpid -> saved.variationOf(mpid)
                .name()).orElse(null);
        List<String> names = test.map(saved -> saved.variations().stream().map(Variation::name).toList())
                .orElse(List.of());
        setHeaderTitle("Download members of " + audience.name());
        identityTypes.setItems(exports.identityTypes(audience.workspaceId()));
        identityTypes.setHelperText("Each identity is a row: a member with a customer id and an email has two rows; "
                + "one with none of the chosen identities has one row with empty identity cells.");
        identityTypes.getListDataView().getItems().filter(type -> type.equals("customer_id") || type.equals("email"))
                .forEach(identityTypes::select);
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        start.addClickListener(click -> {
            com.vaadin.flow.component.UI ui = com.vaadin.flow.component.UI.getCurrent();
            // server push shows progress as it happens; polling is the fallback where push is unavailable
            // in the test's order; all of them is the export of every variation
            Set<String> chosen = names.isEmpty() || variations.getValue().size() == names.size() ? null
                    : names.stream().filter(variations.getValue()::contains)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            try {
                export = exports.start(audience.id(), identityTypes.getValue(), variationOf, chosen,
                        state -> ui.access(() -> show(state)));
            } catch (InvalidRequestException refused) {
                variations.setErrorMessage(refused.getMessage());
                variations.setInvalid(true);
                return;
            }
            variations.setReadOnly(true);
            start.setEnabled(false);
            identityTypes.setReadOnly(true);
            progress.setVisible(true);
            refresh();
        });
        progress.setVisible(false);
        progress.setMin(0);
        progress.setMax(100);
        download.setText("Download ZIP");
        download.setVisible(false);
        add(identityTypes, progress, status, download);
        if (!names.isEmpty()) {
            variations.setItems(names);
            variations.select(names);
            variations.setHelperText("The audience has a saved A/B test: one CSV per chosen variation.");
            variations.setManualValidation(true); // the service says what is missing
            variations.addValueChangeListener(change -> variations.setInvalid(false));
            addComponentAtIndex(1, variations);
        }
        getFooter().add(new Button("Close", click -> close()), start);
        setWidth("min(30em, 95vw)");
    }

    /** Reads the export's progress again (polling) and shows it. */
    void refresh() {
        if (export != null) {
            show(exports.export(export.id()));
        }
    }

    /** Shows the export's progress; once ready, the link to the file. */
    private void show(MemberExport state) {
        export = state;
        progress.setValue(export.percent());
        if (export.error() != null) {
            status.setText(export.error());
            progress.setVisible(false);
            stopPolling();
        } else if (export.ready()) {
            stopPolling();
            status.setText(Counts.of(export.rows(), "member", "members") + " ready.");
            progress.setVisible(false);
            if (!download.isVisible()) {
                download.setHref(DownloadHandler.forFile(export.file().toFile(), export.fileName()));
            }
            download.getElement().setAttribute("download", export.fileName());
            download.setVisible(true);
        } else {
            status.setText("Exporting… " + Counts.number(export.rows()) + " of about "
                    + Counts.of(export.expected(), "member", "members"));
        }
    }

    MemberExport export() {
        return export;
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        super.onAttach(attach);
        // the page below may poll too (the Audiences list): its interval comes back when the dialog closes
        previousPollInterval = attach.getUI().getPollInterval();
        attach.getUI().setPollInterval(POLL_MS);
        polling = attach.getUI().addPollListener(poll -> refresh());
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        super.onDetach(detach);
        stopPolling();
        detach.getUI().setPollInterval(previousPollInterval);
    }

    private void stopPolling() {
        if (polling != null) {
            polling.remove();
            polling = null;
        }
    }
}
