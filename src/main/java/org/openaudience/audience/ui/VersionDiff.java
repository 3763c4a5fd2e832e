package org.openaudience.audience.ui;

import org.openaudience.base.ui.Counts;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.openaudience.audience.VersionChanges;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionDiff;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Node;

/**
 * One definition version against the one before it, inline: each change a line with its kind (Added, Removed,
 * Changed with the criterion before and after, Moved, Connector, Inputs) and its place as the editor numbers items
 * ("2.1" is the first item of group 2). The first version lists what it was created with.
 */
class VersionDiff extends Div {

    VersionDiff(VersionChanges changes) {
        addClassName("version-diff");
        DefinitionDiff.Names names = changes.names();
        Definition definition = changes.version().definition();
        UnorderedList lines = new UnorderedList();
        lines.addClassName("diff-lines");
        if (changes.previous() == null) {
            add(new Paragraph("Created with " + inputs(definition.inputIds(), names) + ":"));
            // the first version as additions to an empty definition with its inputs: each top-level item once
            DefinitionDiff.between(new Definition(new Group(List.of()), definition.inputIds()), definition)
                    .changes().forEach(change -> lines.add(line(change, names)));
        } else if (changes.diff().isEmpty()) {
            add(new Paragraph("Saved without changes against version " + changes.previous().version() + "."));
        } else {
            add(new Paragraph(Counts.of(changes.diff().changes().size(), "change", "changes") + " against version "
                    + changes.previous().version() + ":"));
            changes.diff().changes().forEach(change -> lines.add(line(change, names)));
        }
        if (lines.getChildren().findAny().isPresent()) {
            add(lines);
        }
    }

    /** e.g. [Changed] criterion 2: − "Play Video · at least 1 …" + "Play Video · at least 5 …". */
    static ListItem line(DefinitionDiff.Change change, DefinitionDiff.Names names) {
        ListItem line = new ListItem();
        line.addClassName("diff-" + kindClass(change.kind()));
        line.add(badge(change.kind()));
        if (change instanceof DefinitionDiff.Added added) {
            line.add(text(item(added.node(), added.path()) + ": "), text(DefinitionDiff.shown(added.node(), names)));
        } else if (change instanceof DefinitionDiff.Removed removed) {
            line.add(text(item(removed.node(), removed.previousPath()) + ": "),
                    text(DefinitionDiff.shown(removed.node(), names)));
        } else if (change instanceof DefinitionDiff.Changed changed) {
            String was = changed.previousPath().equals(changed.path()) ? "" : " (was " + changed.previousPath() + ")";
            line.add(text(item(changed.after(), changed.path()) + was + ":"),
                    before("− " + DefinitionDiff.shown(changed.before(), names)),
                    after("+ " + DefinitionDiff.shown(changed.after(), names)));
        } else if (change instanceof DefinitionDiff.Moved moved) {
            line.add(text(item(moved.node(), moved.previousPath()) + " to " + moved.path() + ": "),
                    text(DefinitionDiff.shown(moved.node(), names)));
        } else if (change instanceof DefinitionDiff.ConnectorChanged connector) {
            line.add(text("before " + item(connector.node(), connector.path()) + ": "),
                    before(DefinitionDiff.label(connector.before())), text(" → "),
                    after(DefinitionDiff.label(connector.after())));
        } else if (change instanceof DefinitionDiff.InputsChanged inputs) {
            line.add(before(inputs(inputs.before(), names)), text(" → "), after(inputs(inputs.after(), names)));
        }
        return line;
    }

    static String label(DefinitionDiff.Kind kind) {
        return switch (kind) {
            case CRITERION_ADDED -> "Added";
            case CRITERION_REMOVED -> "Removed";
            case CRITERION_CHANGED -> "Changed";
            case CRITERION_MOVED -> "Moved";
            case GROUP_ADDED -> "Group added";
            case GROUP_REMOVED -> "Group removed";
            case GROUP_MOVED -> "Group moved";
            case CONNECTOR_CHANGED -> "Connector";
            case INPUTS_CHANGED -> "Inputs";
        };
    }

    private static String kindClass(DefinitionDiff.Kind kind) {
        return switch (kind) {
            case CRITERION_ADDED, GROUP_ADDED -> "added";
            case CRITERION_REMOVED, GROUP_REMOVED -> "removed";
            case CRITERION_CHANGED -> "changed";
            case CRITERION_MOVED, GROUP_MOVED -> "moved";
            case CONNECTOR_CHANGED -> "connector";
            case INPUTS_CHANGED -> "inputs";
        };
    }

    private static Span badge(DefinitionDiff.Kind kind) {
        Span badge = new Span(label(kind));
        badge.getElement().getThemeList().add("badge small");
        badge.getElement().getThemeList().add(switch (kindClass(kind)) {
            case "added" -> "success";
            case "removed" -> "error";
            case "changed", "connector", "inputs" -> "primary";
            default -> "contrast";
        });
        return badge;
    }

    private static String item(Node node, String path) {
        return (node instanceof Group ? "group " : "criterion ") + path;
    }

    private static String inputs(Set<Long> ids, DefinitionDiff.Names names) {
        return ids.isEmpty() ? "all inputs"
                : ids.stream().map(names.input()::apply).sorted().collect(Collectors.joining(", "));
    }

    private static Span text(String text) {
        return new Span(text);
    }

    private static Span before(String text) {
        Span span = new Span(text);
        span.addClassName("diff-before");
        return span;
    }

    private static Span after(String text) {
        Span span = new Span(text);
        span.addClassName("diff-after");
        return span;
    }
}
