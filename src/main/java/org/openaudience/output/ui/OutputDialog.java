package org.openaudience.output.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.FieldErrors;
import org.openaudience.output.Output;
import org.openaudience.output.OutputKind;
import org.openaudience.output.OutputSettings;

/**
 * Adds an output or edits one. The caller saves the settings and may refuse them; the message then appears at the
 * field it names. The secret is never shown again: left blank, the service keeps (or generates) it. Extra headers
 * arrive with masked values (their names stay readable); a line left masked keeps its saved value. When the URL
 * moves to another host, the service asks for the secret and header values again.
 */
class OutputDialog extends Dialog {

    final TextField name = new TextField("Name");
    final RadioButtonGroup<OutputKind> kind = new RadioButtonGroup<>("Kind");
    final TextField url = new TextField("URL");
    final PasswordField secret = new PasswordField("HMAC secret");
    final TextArea headers = new TextArea("Extra headers");
    final TextField folder = new TextField("Folder");
    final IntegerField batchSize = new IntegerField("Batch size");
    final IntegerField maxAttempts = new IntegerField("Fault after failed attempts");
    final Button save = new Button("Save");

    /** @param existing the output to edit, or {@code null} to add one */
    OutputDialog(Output existing, Path fileDropRoot, Consumer<OutputSettings> onSave) {
        setHeaderTitle(existing == null ? "Add output" : "Edit " + existing.name());
        setWidth("36em");
        configureFields(existing, fileDropRoot);
        FormLayout form = new FormLayout(name, kind, url, secret, headers, folder, batchSize, maxAttempts);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        add(form);
        fill(existing);
        kind.addValueChangeListener(change -> showFieldsOf(change.getValue()));
        showFieldsOf(kind.getValue());
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(click -> save(onSave));
        getFooter().add(new Button("Cancel", click -> close()), save);
    }

    private void configureFields(Output existing, Path fileDropRoot) {
        name.setRequiredIndicatorVisible(true);
        name.setMaxLength(Output.MAX_NAME_LENGTH);
        kind.setItems(OutputKind.values());
        kind.setItemLabelGenerator(OutputKind::label);
        // The service refuses a kind change: delivery state and connections depend on it.
        kind.setEnabled(existing == null);
        url.setPlaceholder("https://example.com/audiences");
        secret.setHelperText(existing == null ? "Leave empty for a random secret"
                : "Leave empty to keep the current secret (enter it again when the URL points to another host)");
        headers.setHelperText(existing == null ? "One per line: Name: value"
                : "One per line: Name: value. Saved values show as " + Output.MASKED_VALUE + " and are kept unless you"
                + " type a new one (required when the URL points to another host).");
        folder.setHelperText("Inside " + fileDropRoot + " on the server");
        batchSize.setMin(1);
        batchSize.setMax(OutputSettings.MAX_BATCH_SIZE);
        batchSize.setStepButtonsVisible(true);
        maxAttempts.setMin(1);
        maxAttempts.setMax(OutputSettings.MAX_MAX_ATTEMPTS);
        maxAttempts.setStepButtonsVisible(true);
    }

    private void fill(Output existing) {
        if (existing == null) {
            kind.setValue(OutputKind.WEBHOOK);
            batchSize.setValue(OutputSettings.DEFAULT_BATCH_SIZE);
            maxAttempts.setValue(OutputSettings.DEFAULT_MAX_ATTEMPTS);
            return;
        }
        name.setValue(existing.name());
        kind.setValue(existing.kind());
        url.setValue(orEmpty(existing.url()));
        headers.setValue(existing.maskedHeaders()); // never the values, whatever the caller holds
        folder.setValue(orEmpty(existing.folder()));
        batchSize.setValue(existing.batchSize());
        maxAttempts.setValue(existing.maxAttempts());
    }

    private void showFieldsOf(OutputKind selected) {
        boolean webhook = selected != OutputKind.FILE_DROP;
        url.setVisible(webhook);
        secret.setVisible(webhook);
        headers.setVisible(webhook);
        folder.setVisible(!webhook);
    }

    private void save(Consumer<OutputSettings> onSave) {
        FieldErrors.clear(fields());
        try {
            onSave.accept(settings());
            close();
        } catch (InvalidRequestException e) {
            FieldErrors.show(e, fields());
        }
    }

    /** What is filled in; an empty number becomes 0 so the service's range message explains it. */
    private OutputSettings settings() {
        return new OutputSettings(name.getValue(), kind.getValue(), url.getValue(), secret.getValue(),
                headers.getValue(), folder.getValue(), orZero(batchSize.getValue()), orZero(maxAttempts.getValue()));
    }

    private Map<String, HasValidation> fields() {
        return Map.of("name", name, "kind", kind, "url", url, "secret", secret, "headers", headers,
                "folder", folder, "batchSize", batchSize, "maxAttempts", maxAttempts);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
