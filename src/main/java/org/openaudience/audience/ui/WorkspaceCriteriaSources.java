package org.openaudience.audience.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.catalog.CatalogAttribute;
import org.openaudience.catalog.CatalogService;
import org.openaudience.catalog.EventGroup;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.EventKind;

/** The criteria editor's lists for one audience, from its workspace's catalog and audiences. */
class WorkspaceCriteriaSources implements CriteriaSources {

    private final Audience audience;
    private final AudienceService audiences;
    private final CatalogService catalog;

    WorkspaceCriteriaSources(Audience audience, AudienceService audiences, CatalogService catalog) {
        this.audience = audience;
        this.audiences = audiences;
        this.catalog = catalog;
    }

    private static EventGroup group(EventKind kind) {
        return switch (kind) {
            case SCREEN_VIEW -> EventGroup.SCREEN_VIEWS;
            case ECOMMERCE -> EventGroup.COMMERCE;
            default -> EventGroup.CUSTOM_EVENTS;
        };
    }

    @Override
    public Stream<String> eventNames(EventKind kind, String filter, int offset, int limit) {
        return catalog.events(audience.workspaceId(), group(kind), filter, offset, limit).stream()
                .filter(event -> event.eventType().equals(kind.eventType())).map(event -> event.eventKey());
    }

    @Override
    public int countEventNames(EventKind kind, String filter) {
        return catalog.countEvents(audience.workspaceId(), group(kind), filter);
    }

    @Override
    public Map<String, DataType> eventAttributes(EventKind kind, String name) {
        String key = kind.impliedKey().orElse(name);
        return key == null ? Map.of() : types(catalog.eventAttributes(audience.workspaceId(), kind.eventType(), key));
    }

    @Override
    public Map<String, DataType> userAttributes() {
        return types(catalog.userAttributes(audience.workspaceId(), "", 0, 1000));
    }

    private static Map<String, DataType> types(List<CatalogAttribute> attributes) {
        Map<String, DataType> types = new LinkedHashMap<>();
        attributes.forEach(attribute -> types.put(attribute.name(), DataType.valueOf(attribute.dataType().name())));
        return types;
    }

    @Override
    public List<Audience> membershipTargets() {
        return audiences.membershipTargets(audience.workspaceId(), audience.id());
    }

    /** Names for the cards, read once per page (every card of a large tree renders on each edit). */
    private Map<Long, String> names;

    @Override
    public String audienceName(long audienceId) {
        if (names == null || !names.containsKey(audienceId)) {
            names = new java.util.HashMap<>();
            membershipTargets().forEach(target -> names.put(target.id(), target.name()));
        }
        return names.getOrDefault(audienceId, "#" + audienceId);
    }
}
