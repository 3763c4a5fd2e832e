package org.openaudience.output.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.openaudience.abtest.AbTest;
import org.openaudience.abtest.Variation;
import org.openaudience.output.OutputChoice;

/**
 * The Connect tab's form: which output, what to send (the whole audience or one variation of a saved A/B test) and
 * which identities. It fires {@link ConnectRequest}s; the tab calls the service. While an output is chosen it shows
 * the tab's warning for the choice, if any (another audience already sent to that output under the same name).
 */
class ConnectForm extends HorizontalLayout {

    /** What the person asked for; variation null means the whole audience. */
    record ConnectRequest(OutputChoice output, Integer variation, Set<String> identityTypes) {
    }

    /** An entry of the "Send" choice. */
    record Target(Integer variation, String label) {
    }

    static final Target WHOLE_AUDIENCE = new Target(null, "Whole audience");

    final Select<OutputChoice> output = new Select<>();
    final Select<Target> target = new Select<>();
    final MultiSelectComboBox<String> identities = new MultiSelectComboBox<>("Identities");
    final Button connect = new Button("Connect");
    final Paragraph warning = new Paragraph();
    private final Function<ConnectRequest, String> warningFor;
    private List<Target> targets = List.of();

    /**
     * @param warningFor a warning about connecting what is chosen, or null when there is none
     */
    ConnectForm(List<OutputChoice> outputs, List<String> identityTypes,
                java.util.function.Consumer<ConnectRequest> onConnect, Function<ConnectRequest, String> warningFor) {
        this.warningFor = warningFor;
        output.setLabel("Output");
        output.setItems(outputs);
        output.setItemLabelGenerator(OutputChoice::label);
        output.setPlaceholder("Choose an output");
        target.setLabel("Send");
        target.setItemLabelGenerator(Target::label);
        identities.setItems(identityTypes);
        identities.select(identityTypes);
        identities.setHelperText("Sent with each member");
        output.setWidth("16rem");
        target.setWidth("14rem");
        identities.setWidth("18rem");
        connect.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        connect.addClickListener(click -> {
            if (output.isEmpty()) {
                output.setInvalid(true);
                output.setErrorMessage("Choose an output.");
                return;
            }
            onConnect.accept(new ConnectRequest(output.getValue(), target.getValue().variation(),
                    identities.getSelectedItems()));
        });
        output.addValueChangeListener(change -> {
            output.setInvalid(false);
            showWarning();
        });
        target.addValueChangeListener(change -> showWarning());
        warning.addClassName("connect-warning");
        warning.setWidthFull();
        warning.setVisible(false);
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        setWrap(true);
        add(output, target, identities, connect, warning);
        showTest(null);
    }

    /** Shows the tab's warning about the current choice, or none. */
    void showWarning() {
        String text = output.isEmpty() || target.isEmpty() ? null
                : warningFor.apply(new ConnectRequest(output.getValue(), target.getValue().variation(),
                identities.getSelectedItems()));
        warning.setText(text == null ? "" : text);
        warning.setVisible(text != null);
    }

    /** The variations of a saved test become choices; an open or no test offers the whole audience only. */
    void showTest(AbTest test) {
        List<Target> offered = new ArrayList<>(List.of(WHOLE_AUDIENCE));
        if (test != null && test.saved()) {
            for (Variation variation : test.variations()) {
                offered.add(new Target(variation.position(), "Variation " + variation.name() + " ("
                        + variation.percent() + " %)"));
            }
        }
        if (!offered.equals(targets)) { // unchanged on most polls: keep the person's choice
            targets = offered;
            target.setItems(offered);
            target.setValue(WHOLE_AUDIENCE);
        }
    }
}
