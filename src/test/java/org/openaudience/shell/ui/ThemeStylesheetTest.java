package org.openaudience.shell.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The theme's stylesheet is plain CSS: a block left open turns every rule after it into a nested rule that browsers
 * apply only inside the open one (the audience page's header lost its spacing that way).
 */
class ThemeStylesheetTest {

    private static final Path STYLES = Path.of("frontend/themes/openaudience/styles.css");

    @Test
    void every_block_the_theme_opens_is_closed_and_only_at_rules_hold_other_rules() throws IOException {
        String css = Files.readString(STYLES).replaceAll("(?s)/\\*.*?\\*/", "");
        Deque<String> open = new ArrayDeque<>();
        List<String> problems = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < css.length(); i++) {
            char c = css.charAt(i);
            if (c == '{') {
                String selector = css.substring(from, i).trim();
                if (!open.isEmpty() && !open.peek().startsWith("@")) {
                    problems.add("'" + selector + "' inside '" + open.peek() + "'");
                }
                open.push(selector);
                from = i + 1;
            } else if (c == '}') {
                if (open.isEmpty()) {
                    problems.add("a '}' closing nothing before offset " + i);
                } else {
                    open.pop();
                }
                from = i + 1;
            } else if (c == ';') {
                from = i + 1;
            }
        }
        assertThat(problems).as("rules nested in rules").isEmpty();
        assertThat(open).as("blocks never closed").isEmpty();
    }
}
