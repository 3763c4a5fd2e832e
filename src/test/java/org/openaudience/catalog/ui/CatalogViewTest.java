package org.openaudience.catalog.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.tabs.TabSheet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.catalog.CatalogAttribute;
import org.openaudience.catalog.CatalogEvent;
import org.openaudience.catalog.DataType;
import org.openaudience.catalog.EventGroup;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

class CatalogViewTest extends KaribuTest {

    private static final String BATCH = """
            {"environment":"development","user_identities":{"customer_id":"c-1","email":"a@b.com"},
             "user_attributes":{"status":"Premium","$country":"FR"},
             "events":[{"event_type":"custom_event","data":{"event_name":"Play Video","custom_event_type":"media",
                        "custom_attributes":{"destination":"Paris","duration":"12"}}},
                       {"event_type":"screen_view","data":{"screen_name":"Home"}}]}""";

    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;

    Workspace workspace;
    Member member;
    TestEvents events;
    Input web;

    @BeforeEach
    void aReadOnlyMemberOfAWorkspaceWithEvents() {
        workspace = members.workspace("Catalog");
        member = members.member(Role.READ_ONLY, workspace);
        RunAs.member(member.getEmail(), member.getRole(), () -> workspaces.switchTo(workspace.id()));
        events = new TestEvents(inputs, ingestion, parser, clock, members);
        web = events.webInput(workspace);
        events.send(web, BATCH);
        events.send(web, BATCH);
    }

    private EventsTab openEvents() {
        login(member);
        navigate("data/catalog");
        return _get(EventsTab.class);
    }

    @Test
    void the_events_tab_lists_each_event_name_with_its_group_and_count() {
        EventsTab tab = openEvents();
        assertThat(GridKt._size(tab.grid)).isEqualTo(2);
        CatalogEvent play = GridKt._get(tab.grid, 0);
        assertThat(play.eventKey()).isEqualTo("Play Video");
        assertThat(play.count()).isEqualTo(2);
        assertThat(GridKt._getFormattedRow(tab.grid, 0)).startsWith("Custom events", "Play Video", "media", "2");
        assertThat(GridKt._getFormattedRow(tab.grid, 1)).startsWith("Screen views", "Home", "", "2");
        assertThat(_find(Paragraph.class, spec -> spec.withClasses("catalog-overflow-notice"))).isEmpty();
    }

    @Test
    void the_type_filter_and_the_search_narrow_the_events() {
        EventsTab tab = openEvents();
        _setValue(tab.type, EventGroup.SCREEN_VIEWS);
        assertThat(names(tab.grid)).containsExactly("Home");
        _setValue(tab.type, EventGroup.COMMERCE);
        assertThat(GridKt._size(tab.grid)).isZero();
        _setValue(tab.type, null);
        _setValue(tab.search, "vid");
        assertThat(names(tab.grid)).containsExactly("Play Video");
    }

    @Test
    void selecting_an_event_shows_its_attributes_with_detected_types_and_examples() {
        EventsTab tab = openEvents();
        assertThat(tab.details.isVisible()).isFalse();
        tab.grid.select(GridKt._get(tab.grid, 0));

        assertThat(tab.details.isVisible()).isTrue();
        assertThat(tab.details.title.getText()).isEqualTo("Play Video");
        Grid<CatalogAttribute> attributes = tab.details.grid;
        assertThat(GridKt._size(attributes)).isEqualTo(2);
        CatalogAttribute destination = GridKt._get(attributes, 0);
        CatalogAttribute duration = GridKt._get(attributes, 1);
        assertThat(destination.name()).isEqualTo("destination");
        assertThat(destination.dataType()).isEqualTo(DataType.STRING);
        assertThat(duration.name()).isEqualTo("duration");
        assertThat(duration.dataType()).isEqualTo(DataType.NUMBER);
        assertThat(duration.observations()).isEqualTo(2);
        assertThat(text(GridKt._getCellComponent(attributes, 1, "dataType"))).isEqualTo("Number");
        assertThat(text(GridKt._getCellComponent(attributes, 0, "dataType"))).isEqualTo("String");
        assertThat(GridKt._getFormattedRow(attributes, 0)).contains("Paris");

        tab.grid.deselectAll();
        assertThat(tab.details.isVisible()).isFalse();
    }

    @Test
    void the_user_attributes_tab_lists_the_attributes_and_searches_them() {
        openEvents();
        TabSheet tabs = _get(TabSheet.class);
        tabs.setSelectedIndex(1);
        UserAttributesTab tab = _get(UserAttributesTab.class);
        assertThat(names(tab.grid)).containsExactly("$country", "status");
        _setValue(tab.search, "stat");
        assertThat(GridKt._size(tab.grid)).isEqualTo(1);
        CatalogAttribute status = GridKt._get(tab.grid, 0);
        assertThat(status.dataType()).isEqualTo(DataType.STRING);
        assertThat(status.observations()).isEqualTo(2);
        assertThat(GridKt._getFormattedRow(tab.grid, 0)).contains("status", "2", "Premium");
    }

    @Test
    void names_over_the_catalog_limit_are_announced_and_who_manages_inputs_sees_which_input_sent_them() {
        String manyEvents = IntStream.rangeClosed(1, 1_000)
                .mapToObj(i -> "{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"Event " + i + "\","
                        + "\"custom_event_type\":\"other\"}}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        events.send(web, manyEvents);

        openEvents();
        assertThat(_get(Paragraph.class, spec -> spec.withClasses("catalog-overflow-notice")).getElement()
                .getTextRecursively()).isEqualTo("The catalog holds at most 1,000 event names and 1,000 user "
                + "attributes per workspace; 2 newer names were stored as events but not catalogued.");
        assertThat(_find(Paragraph.class, spec -> spec.withClasses("catalog-overflow-sources")))
                .as("a Read Only member does not manage inputs").isEmpty();

        Member support = members.member(Role.SUPPORT, workspace);
        RunAs.member(support.getEmail(), support.getRole(), () -> workspaces.switchTo(workspace.id()));
        login(support);
        navigate("");  // away first: navigating to the route shown keeps its view instance
        navigate("data/catalog");
        assertThat(_get(Paragraph.class, spec -> spec.withClasses("catalog-overflow-sources")).getElement()
                .getTextRecursively()).startsWith("Names left out, by the input that sent them: " + web.name()
                + " 2 (last ").endsWith("If an input should not be sending new names, rotate its secret in"
                + " Setup › Inputs.");
    }

    private static List<String> names(Grid<?> grid) {
        return IntStream.range(0, GridKt._size(grid)).mapToObj(row -> GridKt._getFormattedRow(grid, row))
                .map(row -> row.get(grid.getColumns().indexOf(nameColumn(grid)))).toList();
    }

    private static Grid.Column<?> nameColumn(Grid<?> grid) {
        return grid.getColumnByKey("name");
    }

    private static String text(Component component) {
        return component.getElement().getTextRecursively();
    }
}
