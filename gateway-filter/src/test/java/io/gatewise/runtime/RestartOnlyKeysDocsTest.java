package io.gatewise.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operating guide's table of keys that need a restart lists exactly the keys the code keeps at reload. */
class RestartOnlyKeysDocsTest {
    private static final Pattern KEY = Pattern.compile("`([a-zA-Z0-9.]+)`");

    @Test
    void readmesTableListsTheKeysTheCodeKeeps() throws IOException {
        List<String> documented = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(Path.of("..", "docs", "operating.md"))) {
            if (line.startsWith("#### Keys that need a restart")) {
                inSection = true;
            } else if (inSection && line.startsWith("#")) {
                break;
            } else if (inSection && line.startsWith("| `")) {
                Matcher keys = KEY.matcher(line.substring(0, line.indexOf('|', 1)));
                while (keys.find()) {
                    documented.add(keys.group(1));
                }
            }
        }
        assertThat(documented).as("docs/operating.md, Keys that need a restart").isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(RestartOnlyKeys.names());
    }
}
