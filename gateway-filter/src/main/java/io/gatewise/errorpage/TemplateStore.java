package io.gatewise.errorpage;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The page templates: the built-in ones, and an operator's folder (a route's, then the gateway's)
 * that overrides them from most to least specific: error type + language, error type, status + language, status, cause + language,
 * cause, {@code default} + language, {@code default}; for example {@code connection_refused.zh-CN.html},
 * {@code 502.html}, {@code upstream_down.txt}, {@code default.html}. A name may end in
 * {@code .mustache} too, as the built-in pages do: {@code default.html.mustache} is {@code default.html}.
 *
 * <p>Every template in the folder is compiled when the store is created, so a broken template
 * stops start-up with its name and the Mustache error instead of failing a visitor later. Names
 * are checked: only letters, digits, {@code _ . -}; nothing that could leave the folder.
 */
final class TemplateStore {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.(html|txt)");

    private final Map<String, Template> overrides = new HashMap<>();
    private final Map<PageFormat, Template> builtIn = new HashMap<>();
    private final TemplateStore fallback;

    private TemplateStore(Path folder, TemplateStore fallback) {
        this.fallback = fallback;
        builtIn.put(PageFormat.HTML, compileBuiltIn("page.html.mustache", true));
        builtIn.put(PageFormat.TEXT, compileBuiltIn("page.txt.mustache", false));
        if (folder != null) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{html,txt,mustache}")) {
                for (Path file : files) {
                    // default.html.mustache, as the built-in pages are named, is the same template as default.html.
                    String name = file.getFileName().toString().replaceFirst("\\.mustache$", "");
                    if (!SAFE_NAME.matcher(name).matches()) {
                        throw new IllegalStateException(file + ": not a template name (expected: a name such as"
                                + " default.html, 502.zh-CN.txt or default.html.mustache; letters, digits, _ . - only)");
                    }
                    overrides.put(name, compile(file, name.endsWith(".html")));
                }
            } catch (IOException e) {
                throw new IllegalStateException(folder + " cannot be read: " + e.getMessage(), e);
            }
        }
    }

    /**
     * @param folder an operator's templates folder, or null for the built-in pages only
     * @return the store
     * @throws IllegalStateException naming the file, if a template does not compile
     */
    static TemplateStore load(Path folder) {
        return new TemplateStore(folder, null);
    }

    /**
     * @param folder a route's templates folder
     * @param fallback the gateway's store, searched when the route's folder has no match
     * @return the route's store
     */
    static TemplateStore load(Path folder, TemplateStore fallback) {
        return new TemplateStore(folder, fallback);
    }

    /**
     * @param format the page format (HTML or text)
     * @param candidates names without extension, most specific first
     * @return the first override that exists, else the built-in template
     */
    Template find(PageFormat format, List<String> candidates) {
        for (String candidate : candidates) {
            Optional<Template> template = override(candidate + "." + format.extension());
            if (template.isPresent()) {
                return template.get();
            }
        }
        return fallback != null ? fallback.find(format, candidates) : builtIn.get(format);
    }

    /**
     * @param name a template file name
     * @return the override of that name; empty for an unknown or unsafe name
     */
    Optional<Template> override(String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.ofNullable(overrides.get(name));
    }

    /**
     * @param format HTML or text
     * @return the built-in template, the fallback when an override fails to render
     */
    Template builtIn(PageFormat format) {
        return builtIn.get(format);
    }

    /** @return how many override templates the folder holds */
    int overrideCount() {
        return overrides.size();
    }

    private static Template compileBuiltIn(String resource, boolean html) {
        try (InputStream in = TemplateStore.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in template " + resource + " missing");
            }
            return compiler(html).compile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("built-in template " + resource + " unreadable", e);
        }
    }

    private static Template compile(Path file, boolean html) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return compiler(html).compile(reader);
        } catch (MustacheException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** HTML templates escape every value; text templates strip control characters in the model. */
    private static Mustache.Compiler compiler(boolean html) {
        return Mustache.compiler().escapeHTML(html).defaultValue("").emptyStringIsFalse(true);
    }
}
