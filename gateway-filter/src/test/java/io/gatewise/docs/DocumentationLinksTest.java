package io.gatewise.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README and the pages of {@code docs/} hold together: every relative link names a file that
 * exists and, with a {@code #fragment}, a heading of that file (as GitHub makes its anchors); every
 * page is on the map; README stays the short front door with the two set-up commands.
 */
class DocumentationLinksTest {
    private static final Path ROOT = DocumentationPages.ROOT;
    private static final Pattern LINK = Pattern.compile("\\[[^\\]\\n]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");
    /** README's first screen: how to build and run the demo, and how to run the tests (.ci/run reads the second). */
    private static final List<String> SET_UP = List.of(
            "mvn -B -q package -DskipTests && java -jar sample-webapp/target/gatewise.jar   # build, run the demo",
            "mvn -B verify                                                                    # run the tests");
    private static final int README_MOST_LINES = 150;

    @Test
    void everyRelativeLinkNamesAFileAndEveryFragmentAHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : DocumentationPages.pages()) {
            for (String target : links(page)) {
                if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading in " + ROOT.relativize(resolved)
                            + ")");
                }
            }
        }
        assertThat(broken).as("links that lead nowhere").isEmpty();
    }

    @Test
    void everyPageIsOnTheMapAndTheMapIsOnTheFrontDoor() throws IOException {
        Set<String> mapped = new LinkedHashSet<>(links(ROOT.resolve("docs/README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            List<String> pages = files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".md") && !name.equals("README.md")).sorted().toList();
            assertThat(pages).isNotEmpty();
            assertThat(mapped).as("docs/README.md's map").containsAll(pages);
        }
        assertThat(links(ROOT.resolve("README.md"))).contains("docs/README.md");
    }

    @Test
    void readmeIsTheShortFrontDoorWithTheTwoSetUpCommands() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);

        assertThat(readme.size()).as("README.md's lines").isLessThanOrEqualTo(README_MOST_LINES);
        assertThat(readme.subList(0, 30)).as("README.md's first screen").containsSubsequence(SET_UP);
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        assertThat(slug("gRPC and HTTP/2 towards upstreams")).isEqualTo("grpc-and-http2-towards-upstreams");
        assertThat(slug("Why it failed: types, statuses, `Proxy-Status`")).isEqualTo("why-it-failed-types-statuses-proxy-status");
        assertThat(slug("Watching the file: `gateway.watchConfig`")).isEqualTo("watching-the-file-gatewaywatchconfig");
    }


    /** @return the link targets outside fenced code blocks, in order */
    private static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                Matcher link = LINK.matcher(line);
                while (link.find()) {
                    targets.add(link.group(1));
                }
            }
        }
        // A link's text may wrap onto the next line: join the page and look for those too.
        Matcher wrapped = Pattern.compile("\\[[^\\]]*\\n[^\\]]*\\]\\(([^)\\s]+)\\)")
                .matcher(Files.readString(page, StandardCharsets.UTF_8));
        while (wrapped.find()) {
            targets.add(wrapped.group(1));
        }
        return targets;
    }

    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (!fenced && heading.matches()) {
                String slug = slug(heading.group(1));
                int times = seen.merge(slug, 1, Integer::sum);
                anchors.add(times == 1 ? slug : slug + "-" + (times - 1));
            }
        }
        return anchors;
    }

    /** GitHub's anchor of a heading: lower case, punctuation but {@code -} and {@code _} dropped, spaces as {@code -}. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\- _]", "").replace(' ', '-');
    }
}
