package io.gatewise.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block of README and {@code docs/} compiles against the library as it is. A block that
 * declares a class compiles as its own file; a fragment is compiled as the body of a method, with
 * the variables it uses declared by the comment right above it
 * ({@code <!-- example: java given GatewayConfig config, MeterRegistry registry -->}) and the
 * library's usual packages imported.
 */
class DocumentationJavaTest {
    private static final Pattern BLOCK = Pattern.compile("(?:<!-- example: java given ([^>]*?) -->\\n)?```java\\n(.*?)```",
            Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("(?m)^public (?:final )?class (\\w+)");
    private static final List<String> FRAGMENT_IMPORTS = List.of("io.gatewise.config.*", "io.gatewise.runtime.*",
            "io.gatewise.server.*", "io.micrometer.core.instrument.MeterRegistry", "io.opentelemetry.api.OpenTelemetry",
            "org.eclipse.jetty.util.SocketAddressResolver");

    @TempDir
    Path output;

    /** One Java block: where it is, the variables its comment declares (null for none), its text. */
    record Snippet(String where, String given, String code) {
    }

    @TestFactory
    Stream<DynamicTest> everyJavaExampleCompiles() throws IOException {
        List<Snippet> snippets = snippets();
        assertThat(snippets).as("Java blocks in README and docs/").hasSizeGreaterThanOrEqualTo(3);
        return snippets.stream().map(snippet -> DynamicTest.dynamicTest(snippet.where(),
                () -> assertThat(compile(source(snippet, "Example")).strip()).as(snippet.where()).isEmpty()));
    }

    @Test
    void aFragmentThatNoLongerCompilesFails() {
        Snippet renamed = new Snippet("docs/x.md:1", "GatewayConfig config",
                "Gateway gateway = Gateway.builder(config).meterRegistery(null).build();\n");
        assertThat(compile(source(renamed, "Example"))).contains("meterRegistery");
    }

    /** @return the compilation unit of a snippet: as it is for a class, else a method around the fragment */
    private static Source source(Snippet snippet, String fragmentClass) {
        Matcher declared = CLASS.matcher(snippet.code());
        if (declared.find()) {
            return new Source(declared.group(1), snippet.code());
        }
        List<String> imports = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.code().split("\n")) {
            if (line.startsWith("import ")) {
                imports.add(line);
            } else {
                body.append("        ").append(line).append('\n');
            }
        }
        String unit = FRAGMENT_IMPORTS.stream().map(name -> "import " + name + ";").collect(Collectors.joining("\n"))
                + "\n" + String.join("\n", imports) + "\n\nclass " + fragmentClass + " {\n    void run("
                + (snippet.given() == null ? "" : snippet.given()) + ") throws Exception {\n" + body + "    }\n}\n";
        return new Source(fragmentClass, unit);
    }

    record Source(String className, String text) {
    }

    /** @return what the compiler said: empty when it compiled without an error */
    private String compile(Source source) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + source.className() + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source.text();
            }
        };
        StringWriter said = new StringWriter();
        Path classes = output != null ? output : Path.of(System.getProperty("java.io.tmpdir"));
        boolean compiled = compiler.getTask(said, null, null, List.of("-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString(), "-proc:none", "-Xlint:none"), null, List.of(file)).call();
        return compiled ? "" : said.toString();
    }

    private static List<Snippet> snippets() throws IOException {
        return DocumentationPages.blocks(BLOCK).stream()
                .map(block -> new Snippet(block.where(), block.marker(), block.text())).toList();
    }
}
