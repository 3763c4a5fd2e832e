package org.openaudience.audience.ui;

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
import org.openaudience.audience.Audience;
import org.openaudience.audience.MemberExport;
import org.openaudience.audience.MemberExports;

/**
 * Download members (PRODUCT.md §3.5): choose identity types, export in the background with progress, then download
 * the ZIP (members.csv and manifest.json).
 */
class DownloadDialog extends Dialog {

    static final int POLL_MS = 500;

    private final MemberExports exports;
    final CheckboxGroup<String> identityTypes = new CheckboxGroup<>("Identities to include");
    final Button start = new Button("Prepare download");
    final ProgressBar progress = new ProgressBar();
    final Paragraph status = new Paragraph();
    final Anchor download = new Anchor();
    private MemberExport export;
    private Registration polling;
    private int previousPollInterval = -1;

    /** @param variationOf a member's A/B variation when the audience has a saved test (one CSV each), else null */
    DownloadDialog(Audience audience, MemberExports exports, java.util.function.LongFunction<String> variationOf) {
        this.exports = exports;
        setHeaderTitle("Download members of " + audience.name());
        identityTypes.setItems(exports.identityTypes(audience.workspaceId()));
        identityTypes.setHelperText("Each becomes a column beside the MPID");
        identityTypes.getListDataView().getItems().filter(type -> type.equals("customer_id") || type.equals("email"))
                .forEach(identityTypes::select);
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        start.addClickListener(click -> {
            com.vaadin.flow.component.UI ui = com.vaadin.flow.component.UI.getCurrent();
            // server push shows progress as it happens; polling is the fallback where push is unavailable
            export = exports.start(audience.id(), identityTypes.getValue(), variationOf,
                    state -> ui.access(() -> show(state)));
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
        if (variationOf != null) {
            addComponentAtIndex(1, new Paragraph("The audience has an A/B test: one CSV per variation."));
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
            status.setText(export.rows() + " members ready.");
            progress.setVisible(false);
            if (!download.isVisible()) {
                download.setHref(DownloadHandler.forFile(export.file().toFile(), export.fileName()));
            }
            download.getElement().setAttribute("download", export.fileName());
            download.setVisible(true);
        } else {
            status.setText("Exporting… " + export.rows() + " of about " + export.expected() + " members");
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
