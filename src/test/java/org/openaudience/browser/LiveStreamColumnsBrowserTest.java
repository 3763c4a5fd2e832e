package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Live Stream at 1280 × 800 with the menu open: time, event type, environment and MPID are readable in full, even
 * at their longest (a negative 19-digit MPID, "user_attribute_change"); other long values end in "…".
 */
class LiveStreamColumnsBrowserTest extends BrowserTest {

    /** The longest value each column must show whole. */
    static final Map<String, String> LONGEST = Map.of(
            "Time (UTC)", "23:59:59.999",
            "Event type", "user_attribute_change",
            "Environment", "development",
            "MPID / device", "-9223372036854775808");

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    WorkspaceService workspaces;

    @Test
    void time_event_type_environment_and_mpid_are_readable_in_full_at_1280_pixels() throws Exception {
        IngestFixture fixture = fixtures.create();
        RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> workspaces.switchTo(fixture.workspace.id()));
        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        open("data/live-stream");
        waitForText("Live ·");
        assertThat(sendEvents(fixture.credentials.apiKey(), fixture.credentials.secret(), """
                {"environment":"development","user_identities":{"customer_id":"columns-1"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"A very long event name that will not fit"}},
                           {"event_type":"user_attribute_change","data":{"user_attribute_name":"status",
                            "new":"premium","old":"free"}}]}""")).isEqualTo(202);
        waitForText("user_attribute_change");

        // every body cell's text box, with its column's header
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cells = (List<Map<String, Object>>) ((JavascriptExecutor) driver).executeScript("""
                const grid = document.querySelector('vaadin-grid');
                const cells = [...grid.querySelectorAll('vaadin-grid-cell-content')].filter(c => c.assignedSlot);
                const headers = new Map();
                cells.filter(c => c.assignedSlot.parentElement.tagName === 'TH')
                    .forEach(c => headers.set(c.assignedSlot.parentElement._column, c.textContent.trim()));
                return cells.filter(c => c.assignedSlot.parentElement.tagName === 'TD' && c.textContent.trim())
                    .map(c => {
                        const style = getComputedStyle(c);
                        return {header: headers.get(c.assignedSlot.parentElement._column), text: c.textContent,
                                room: c.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
                                overflows: c.scrollWidth > c.clientWidth};
                    });""");
        System.out.println("Live Stream cells at 1280 px: " + cells);
        // each column's first cell with the column's longest value in it instead, measured, and put back
        Map<String, Map<?, ?>> fits = new java.util.TreeMap<>();
        for (Map.Entry<String, String> longest : LONGEST.entrySet()) {
            fits.put(longest.getKey(), (Map<?, ?>) ((JavascriptExecutor) driver).executeScript("""
                    const grid = document.querySelector('vaadin-grid');
                    const cells = [...grid.querySelectorAll('vaadin-grid-cell-content')].filter(c => c.assignedSlot);
                    const column = cells.find(c => c.assignedSlot.parentElement.tagName === 'TH'
                        && c.textContent.trim() === arguments[0]).assignedSlot.parentElement._column;
                    const cell = cells.find(c => c.assignedSlot.parentElement.tagName === 'TD'
                        && c.assignedSlot.parentElement._column === column && c.textContent.trim());
                    const shown = cell.textContent;
                    const text = document.createElement('span');
                    text.textContent = arguments[1];
                    cell.replaceChildren(text);
                    const style = getComputedStyle(cell);
                    const fit = {needed: Math.ceil(text.getBoundingClientRect().width), room: cell.clientWidth
                        - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)};
                    cell.textContent = shown;
                    return fit;""", longest.getKey(), longest.getValue()));
        }
        System.out.println("Longest values in their columns at 1280 px: " + fits);
        fits.forEach((header, fit) -> assertThat(((Number) fit.get("needed")).longValue())
                .as("%s fits %s", LONGEST.get(header), header)
                .isLessThanOrEqualTo(((Number) fit.get("room")).longValue()));
        for (String header : LONGEST.keySet()) {
            assertThat(cells.stream().filter(cell -> header.equals(cell.get("header"))))
                    .as(header + " shows its values whole").isNotEmpty()
                    .allSatisfy(cell -> assertThat(cell.get("overflows")).isEqualTo(false));
        }
        assertThat(cells).as("a long event name ends in … rather than widening the grid")
                .anyMatch(cell -> "Event name".equals(cell.get("header")) && Boolean.TRUE.equals(cell.get("overflows")));
        assertThat((Boolean) ((JavascriptExecutor) driver).executeScript(
                "const table = document.querySelector('vaadin-grid').$.table;"
                        + "return table.scrollWidth <= table.clientWidth;")).as("no sideways scrolling").isTrue();
    }
}
