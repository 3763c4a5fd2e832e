package org.openaudience.criteria;

import java.util.List;

/**
 * Brackets: an ordered list of items; each item after the first carries the connector that joins it to the result
 * of the items before it (applied left to right). An empty group matches nobody.
 */
public record Group(List<Item> items) implements Node {

    public Group {
        items = List.copyOf(items);
    }

    /** One item of a group; {@code connector} is null for the first. */
    public record Item(Connector connector, Node node) {
    }

    public static Group of(Node first) {
        return new Group(List.of(new Item(null, first)));
    }

    public Group then(Connector connector, Node node) {
        List<Item> more = new java.util.ArrayList<>(items);
        more.add(new Item(connector, node));
        return new Group(more);
    }
}
