package org.openaudience.audience.ui;

import java.util.ArrayList;
import java.util.List;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Node;

/**
 * A group of the criteria editor while it is edited: its connectors and entries in order; an entry holds a criterion
 * ({@link Node}) or a nested group.
 */
final class EditableGroup {
    final List<Connector> connectors = new ArrayList<>();
    final List<Object> entries = new ArrayList<>();

    static EditableGroup of(Group group) {
        EditableGroup editable = new EditableGroup();
        for (Group.Item item : group.items()) {
            editable.connectors.add(item.connector());
            editable.entries.add(item.node() instanceof Group inner ? of(inner) : item.node());
        }
        return editable;
    }

    Group toGroup() {
        List<Group.Item> items = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Object entry = entries.get(i);
            Node node = entry instanceof EditableGroup inner ? inner.toGroup() : (Node) entry;
            items.add(new Group.Item(i == 0 ? null : connectors.get(i) == null ? Connector.AND
                    : connectors.get(i), node));
        }
        return new Group(items);
    }

    void add(Object entry) {
        connectors.add(entries.isEmpty() ? null : Connector.AND);
        entries.add(entry);
    }

    void removeAt(int index) {
        entries.remove(index);
        connectors.remove(index);
        if (!connectors.isEmpty()) {
            connectors.set(0, null);
        }
    }
}
