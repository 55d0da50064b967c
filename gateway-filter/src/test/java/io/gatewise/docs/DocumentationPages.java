package io.gatewise.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** README and the pages of {@code docs/}, and the marked blocks in them, for the documentation's tests. */
final class DocumentationPages {
    /** The repository's root, seen from a module. */
    static final Path ROOT = Path.of("..");

    /**
     * One block of a page.
     *
     * @param page the page
     * @param line the line its text starts on, from 1
     * @param marker what the comment right above it says (its pattern's group 1); null for none
     * @param text its text (its pattern's group 2)
     */
    record Block(Path page, long line, String marker, String text) {
        /** @return where it is, such as {@code docs/operating.md:114} */
        String where() {
            return ROOT.relativize(page) + ":" + line;
        }
    }

    private DocumentationPages() {
    }

    /** @return README.md, then every page of docs/ in name order */
    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /**
     * @param block a pattern whose group 1 is the block's marker (optional) and group 2 its text
     * @return every such block of every page, in order
     */
    static List<Block> blocks(Pattern block) throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page, StandardCharsets.UTF_8);
            Matcher found = block.matcher(text);
            while (found.find()) {
                long line = text.substring(0, found.start(2)).lines().count();
                blocks.add(new Block(page, line, found.group(1), found.group(2)));
            }
        }
        return blocks;
    }
}
