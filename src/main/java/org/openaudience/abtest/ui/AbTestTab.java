package org.openaudience.abtest.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import java.util.Optional;
import org.openaudience.abtest.AbTest;
import org.openaudience.abtest.AbTestService;
import org.openaudience.abtest.Variation;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.Notifications;

/**
 * The audience page's A/B Test tab (PRODUCT.md §3.6): start a test (Control at 100 %), Add Variation with a
 * percentage and an optional name, Save to freeze the split, Delete Test to start again.
 */
public class AbTestTab extends VerticalLayout {

    private final AbTestService tests;
    private final long audienceId;
    private final boolean mayEdit;
    final Paragraph state = new Paragraph();
    final Grid<Variation> variations = new Grid<>();
    final Button start = new Button("Start A/B test");
    final IntegerField percent = new IntegerField("Percentage");
    final TextField name = new TextField("Name (optional)");
    final Button add = new Button("Add Variation");
    final Button save = new Button("Save");
    final Button delete = new Button("Delete Test");
    private final HorizontalLayout adding;

    public AbTestTab(AbTestService tests, long audienceId, boolean mayEdit) {
        this.tests = tests;
        this.audienceId = audienceId;
        this.mayEdit = mayEdit;
        setPadding(false);
        variations.addColumn(Variation::name).setHeader("Variation").setFlexGrow(1);
        variations.addColumn(variation -> variation.percent() + " %").setHeader("Share").setAutoWidth(true);
        variations.setAllRowsVisible(true);
        percent.setMin(1);
        percent.setMax(99);
        percent.setSuffixComponent(new com.vaadin.flow.component.html.Span("%"));
        name.setMaxLength(AbTestService.MAX_NAME_LENGTH);
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        start.addClickListener(click -> act(() -> tests.startTest(audienceId)));
        add.addClickListener(click -> {
            if (percent.getValue() == null) {
                percent.setInvalid(true);
                percent.setErrorMessage("Enter a percentage.");
                return;
            }
            act(() -> tests.addVariation(audienceId, percent.getValue(), name.getValue()));
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(click -> act(() -> tests.saveTest(audienceId)));
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        delete.addClickListener(click -> confirmDelete());
        adding = new HorizontalLayout(percent, name, add);
        adding.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(state, variations, adding, new HorizontalLayout(start, save, delete));
        show(tests.test(audienceId));
    }

    /** A member's variation name when the audience has a saved test, for per-variation downloads; else null. */
    public static java.util.function.LongFunction<String> variationsOf(AbTestService tests, long audienceId) {
        return tests.test(audienceId).filter(AbTest::saved)
                .<java.util.function.LongFunction<String>>map(test -> mpid -> test.variationOf(mpid).name())
                .orElse(null);
    }

    private void act(java.util.function.Supplier<AbTest> change) {
        try {
            show(Optional.of(change.get()));
            percent.clear();
            name.clear();
        } catch (InvalidRequestException refused) {
            if ("percent".equals(refused.field()) || "name".equals(refused.field())) {
                var field = "percent".equals(refused.field()) ? percent : name;
                field.setInvalid(true);
                field.setErrorMessage(refused.getMessage());
            } else {
                Notifications.error(refused.getMessage());
            }
        }
    }

    private void confirmDelete() {
        ConfirmDialog confirm = new ConfirmDialog("Delete the A/B test?",
                "Its variations and their connections are removed; the audience stays.", "Delete Test", event -> {
                    tests.deleteTest(audienceId);
                    show(Optional.empty());
                });
        confirm.setCancelable(true);
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }

    private void show(Optional<AbTest> test) {
        variations.setItems(test.map(AbTest::variations).orElse(java.util.List.of()));
        variations.setVisible(test.isPresent());
        boolean open = test.isPresent() && !test.get().saved();
        start.setVisible(mayEdit && test.isEmpty());
        adding.setVisible(mayEdit && open);
        save.setVisible(mayEdit && open);
        delete.setVisible(mayEdit && test.isPresent());
        state.setText(test.isEmpty() ? "No A/B test. Start one to split this audience's members into variations."
                : test.get().saved() ? "Saved: members are assigned to variations by a fixed split. Delete the "
                        + "test to change it."
                : "Add variations (Control keeps the rest), then Save to freeze the split.");
    }
}
