package org.openaudience.audience.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.contextmenu.SubMenu;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openaudience.audience.Estimate;
import org.openaudience.base.ui.Counts;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.Describe;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Node;
import org.openaudience.criteria.Problem;

/**
 * The Build tab's criteria tree (PRODUCT.md §3.3): criteria as one-line cards with edit and delete, And / Or /
 * Exclude between them, groups two levels deep with criteria moved in and out, Add Criteria of every type, and each
 * criterion's estimate. Every change is reported to the view, which re-estimates and saves.
 */
class CriteriaBuilder extends VerticalLayout {

    static final int MAX_DEPTH = 2;
    private final CriteriaSources sources;
    private final Runnable changed;
    private EditableGroup root = new EditableGroup();
    private final Map<String, Span> estimateLabels = new HashMap<>();
    /** The latest estimate, shown again on cards drawn anew (a closed form redraws the tree; paths stay). */
    private Estimate lastEstimate;
    /** Told when a criterion form opens or closes (an open form is an unsaved edit). */
    private Runnable formToggled = () -> { };
    private boolean editable = true;
    /** Where a form is open: the group and the index it edits (index == size: adding). */
    private EditableGroup formGroup;
    private int formIndex = -1;
    private CriterionForm form;
    /** The criterion just added or edited: its card takes the keyboard focus back from the closed form. */
    private Node lastDone;

    CriteriaBuilder(CriteriaSources sources, Runnable changed) {
        this.sources = sources;
        this.changed = changed;
        addClassName("criteria-builder");
        setPadding(false);
    }

    void load(Group group, boolean mayEdit) {
        root = EditableGroup.of(group);
        editable = mayEdit;
        lastEstimate = null;
        closeForm();
    }

    void onFormToggled(Runnable listener) {
        formToggled = listener;
    }

    Group tree() {
        return root.toGroup();
    }

    private void render() {
        removeAll();
        estimateLabels.clear();
        add(group(root, "", 0));
    }

    private Component group(EditableGroup group, String prefix, int depth) {
        VerticalLayout panel = new VerticalLayout();
        panel.addClassName(depth == 0 ? "criteria-root" : "criteria-group");
        panel.getElement().setAttribute("role", "group");
        panel.getElement().setAttribute("aria-label", depth == 0 ? "Criteria" : "Group " + prefix.replaceAll("\\.$", ""));
        panel.setPadding(depth > 0);
        panel.setSpacing(true);
        for (int i = 0; i < group.entries.size(); i++) {
            String path = prefix + (i + 1);
            if (i > 0) {
                panel.add(connector(group, i, path));
            }
            Object entry = group.entries.get(i);
            if (group == formGroup && i == formIndex) {
                panel.add(form);
            } else if (entry instanceof EditableGroup inner) {
                panel.add(groupHeader(group, i, path), group(inner, path + ".", depth + 1));
            } else {
                panel.add(card(group, i, path, (Node) entry, depth));
            }
        }
        if (group == formGroup && formIndex == group.entries.size()) {
            panel.add(form);
        }
        if (group.entries.isEmpty() && !(group == formGroup)) {
            panel.add(new Span(depth == 0 ? "No criteria yet: everyone is out. Add Criteria to start."
                    : "This group is empty."));
        }
        if (editable && form == null) {
            panel.add(addBar(group, depth, prefix));
        }
        return panel;
    }

    private Component connector(EditableGroup group, int index, String path) {
        Select<Connector> select = new Select<>();
        select.setItems(Connector.values());
        select.setItemLabelGenerator(connector -> switch (connector) {
            case AND -> "And";
            case OR -> "Or";
            case EXCLUDE -> "Exclude";
        });
        select.setValue(group.connectors.get(index) == null ? Connector.AND : group.connectors.get(index));
        select.setAriaLabel("Connector before " + path);
        select.addClassName("connector");
        select.setReadOnly(!editable || form != null);
        select.addValueChangeListener(change -> {
            group.connectors.set(index, change.getValue());
            changed.run();
        });
        return select;
    }

    private Component card(EditableGroup group, int index, String path, Node node, int depth) {
        Span summary = new Span(Describe.criterion(node, sources::audienceName));
        summary.addClassName("criterion-summary");
        Span estimate = new Span();
        estimate.addClassName("criterion-estimate");
        estimateLabels.put(path, estimate);
        showEstimate(path, estimate);
        HorizontalLayout card = new HorizontalLayout(new Span(path), summary, estimate);
        card.addClassName("criterion-card");
        card.setWidthFull();
        card.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        card.expand(summary);
        if (editable && form == null) {
            Button edit = new Button(VaadinIcon.EDIT.create(), click -> openForm(group, index, node));
            edit.setAriaLabel("Edit criterion " + path);
            Button delete = new Button(VaadinIcon.TRASH.create(), click -> {
                group.removeAt(index);
                render();
                changed.run();
            });
            delete.setAriaLabel("Delete criterion " + path);
            delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
            for (Button button : List.of(edit, delete)) {
                button.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
            }
            card.add(edit, moveMenu(group, index, path), delete);
            if (node == lastDone) {
                edit.focus();
                lastDone = null;
            }
        }
        return card;
    }

    /** Moves a criterion to the top level or into any group (appended, joined with And). */
    private Component moveMenu(EditableGroup from, int index, String path) {
        MenuBar menu = new MenuBar();
        menu.addThemeVariants(com.vaadin.flow.component.menubar.MenuBarVariant.LUMO_TERTIARY_INLINE);
        SubMenu targets = menu.addItem("Move").getSubMenu();
        menu.getItems().get(0).setAriaLabel("Move criterion " + path);
        List<Map.Entry<String, EditableGroup>> groups = new ArrayList<>();
        collectGroups(root, "", groups);
        for (Map.Entry<String, EditableGroup> target : groups) {
            if (target.getValue() != from) {
                targets.addItem(target.getKey(), click -> {
                    Object entry = from.entries.get(index);
                    from.removeAt(index);
                    target.getValue().add(entry);
                    render();
                    changed.run();
                });
            }
        }
        menu.setVisible(targets.getItems().size() > 0);
        return menu;
    }

    private static void collectGroups(EditableGroup group, String prefix, List<Map.Entry<String, EditableGroup>> groups) {
        groups.add(Map.entry(prefix.isEmpty() ? "Top level" : "Group " + prefix.substring(0, prefix.length() - 1),
                group));
        for (int i = 0; i < group.entries.size(); i++) {
            if (group.entries.get(i) instanceof EditableGroup inner) {
                collectGroups(inner, prefix + (i + 1) + ".", groups);
            }
        }
    }

    private Component groupHeader(EditableGroup parent, int index, String path) {
        Span title = new Span("Group " + path);
        title.addClassName("group-title");
        HorizontalLayout header = new HorizontalLayout(title);
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        if (editable && form == null) {
            Button remove = new Button("Remove group", click -> GroupRemoval.ask(path,
                    (EditableGroup) parent.entries.get(index), () -> {
                        parent.removeAt(index);
                        render();
                        changed.run();
                    }));
            remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_ERROR);
            remove.setAriaLabel("Remove group " + path + " and its criteria");
            header.add(remove);
        }
        return header;
    }

    private Component addBar(EditableGroup group, int depth, String prefix) {
        MenuBar add = new MenuBar();
        String where = prefix.isEmpty() ? "" : " to group " + prefix.substring(0, prefix.length() - 1);
        var item = add.addItem("Add Criteria");
        item.setAriaLabel("Add Criteria" + where);
        SubMenu types = item.getSubMenu();
        for (EventKind kind : EventKind.values()) {
            types.addItem(kind.label(), click -> openForm(group, group.entries.size(),
                    new EventCriterion(kind, null, null, List.of(), null, null)));
        }
        types.addItem("Users", click -> openForm(group, group.entries.size(), null));
        HorizontalLayout bar = new HorizontalLayout(add);
        if (depth < MAX_DEPTH) {
            Button addGroup = new Button("Add group", VaadinIcon.FOLDER_ADD.create(), click -> {
                group.add(new EditableGroup());
                render();
            });
            addGroup.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
            addGroup.setAriaLabel("Add group" + where);
            bar.add(addGroup);
        }
        return bar;
    }

    /** Opens the form for a new criterion (template) or an existing one at {@code index}. */
    private void openForm(EditableGroup group, int index, Node template) {
        boolean adding = index == group.entries.size();
        Runnable close = this::closeForm;
        java.util.function.Consumer<Node> done = node -> {
            if (adding) {
                group.add(node);
            } else {
                group.entries.set(index, node);
            }
            lastDone = node;
            closeForm();
            changed.run();
        };
        if (template instanceof EventCriterion event) {
            EventCriterionForm eventForm = new EventCriterionForm(event.kind(), sources, done, close);
            if (!adding) {
                eventForm.load(event);
            }
            form = eventForm;
        } else {
            UserCriterionForm userForm = new UserCriterionForm(sources, done, close);
            if (!adding) {
                userForm.load(template);
            }
            form = userForm;
        }
        formGroup = group;
        formIndex = index;
        render();
        form.focusFirst();
        formToggled.run();
    }

    private void closeForm() {
        boolean wasOpen = form != null;
        form = null;
        formGroup = null;
        formIndex = -1;
        render();
        if (wasOpen) {
            formToggled.run();
        }
    }

    /** The open form, if a criterion is being added or edited. */
    CriterionForm openForm() {
        return form;
    }

    void showEstimates(Estimate estimate) {
        lastEstimate = estimate;
        estimateLabels.forEach(this::showEstimate);
    }

    private void showEstimate(String path, Span label) {
        Estimate.Value value = lastEstimate == null ? null : lastEstimate.perCriterion().get(path);
        label.setText(value == null ? "" : describe(value));
    }

    static String describe(Estimate.Value value) {
        return value.tooSmall() ? "Too small to estimate" : "≈ " + Counts.of(value.size(), "user");
    }

    /** Marks the cards the service found problems in (with the message as the card's text). */
    void showProblems(List<Problem> problems) {
        for (Problem problem : problems) {
            Span label = estimateLabels.get(problem.path());
            if (label != null) {
                label.setText(problem.message());
                label.addClassName("criterion-problem");
            }
        }
    }
}
