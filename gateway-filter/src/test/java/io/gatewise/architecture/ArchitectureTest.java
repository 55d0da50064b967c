package io.gatewise.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of the library, checked on its compiled classes: no cycle among
 * {@code io.gatewise.*}, dependencies pointing one way through the layers below, and the
 * portable packages free of servlet (and some of Jetty) types. Each rule is also shown to fail on
 * classes that break it ({@code fixture}), so none of them passes by matching nothing.
 *
 * <p>The layers, bottom first (a layer may use those below it, never those above):
 * <ol>
 *   <li><b>model</b>: {@code failure} (the record of a failure and its classifier), {@code config},
 *       {@code errorpage} (rendering), {@code exchange} (the record of an exchange);</li>
 *   <li><b>upstreams</b>: {@code client}, {@code upstream} (pools, health, circuits),
 *       {@code route} (the route model and its lookup), {@code websocket} (the sessions the gateway
 *       carries once upgraded);</li>
 *   <li><b>readers</b>: {@code observe}, {@code metrics} (readers of the exchange record),
 *       {@code diagnose}, {@code alert};</li>
 *   <li><b>answer</b>: {@code answer} (the one place a failure is answered), {@code filter} (the
 *       servlet contract);</li>
 *   <li><b>proxy</b>: the request path;</li>
 *   <li><b>runtime</b>: the running gateway, its wiring and reloads;</li>
 *   <li><b>hosts</b>: {@code admin}, {@code server}.</li>
 * </ol>
 */
class ArchitectureTest {
    private static final String BASE = "io.gatewise";

    private static JavaClasses library;

    @BeforeAll
    static void importLibrary() {
        library = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(BASE);
    }

    static ArchRule noPackageCycles() {
        return slices().matching(BASE + ".(*)..").should().beFreeOfCycles();
    }

    static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("model").definedBy(packages("failure", "config", "errorpage", "exchange"))
                .layer("upstreams").definedBy(packages("client", "upstream", "route", "websocket"))
                .layer("readers").definedBy(packages("observe", "metrics", "trace", "diagnose", "alert"))
                .layer("answer").definedBy(packages("answer", "filter"))
                .layer("proxy").definedBy(packages("proxy"))
                .layer("runtime").definedBy(packages("runtime"))
                .layer("hosts").definedBy(packages("admin", "server"))
                .whereLayer("hosts").mayNotBeAccessedByAnyLayer()
                .whereLayer("runtime").mayOnlyBeAccessedByLayers("hosts")
                .whereLayer("proxy").mayOnlyBeAccessedByLayers("runtime", "hosts")
                .whereLayer("answer").mayOnlyBeAccessedByLayers("proxy", "runtime", "hosts")
                .whereLayer("readers").mayOnlyBeAccessedByLayers("answer", "proxy", "runtime", "hosts")
                .whereLayer("upstreams").mayOnlyBeAccessedByLayers("readers", "answer", "proxy", "runtime", "hosts");
    }

    private static String[] packages(String... names) {
        String[] packages = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            packages[i] = BASE + "." + names[i] + "..";
        }
        return packages;
    }

    /** The portable packages: they run wherever the record, the pages and the routes are read. */
    static ArchRule portablePackagesUseNoServletTypes() {
        return noClasses().that().resideInAnyPackage(packages("failure", "errorpage", "exchange", "client",
                "upstream", "route", "websocket", "observe", "metrics", "diagnose", "alert"))
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..");
    }

    static ArchRule recordsAndPagesUseNoJettyTypes() {
        return noClasses().that().resideInAnyPackage(packages("errorpage", "exchange", "observe", "alert"))
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..");
    }

    @Test
    void noPackageCycleAmongTheLibrarysPackages() {
        noPackageCycles().check(library);
    }

    @Test
    void dependenciesPointDownThroughTheLayers() {
        layers().check(library);
    }

    @Test
    void thePortablePackagesUseNoServletTypes() {
        portablePackagesUseNoServletTypes().check(library);
    }

    @Test
    void theRecordsAndPagesUseNoJettyTypes() {
        recordsAndPagesUseNoJettyTypes().check(library);
    }

    @Test
    void theCycleRuleFailsOnACycle() {
        JavaClasses cycle = new ClassFileImporter().importPackages(BASE + ".architecture.fixture.cycle");
        EvaluationResult result = slices().matching(BASE + ".architecture.fixture.cycle.(*)..").should()
                .beFreeOfCycles().evaluate(cycle);
        assertThat(result.hasViolation()).as("a -> b -> a").isTrue();
        assertThat(result.getFailureReport().toString()).contains("Cycle detected", "Slice a", "Slice b");
    }

    @Test
    void theLayerRuleFailsWhenAReaderReachesUpIntoTheRuntime() {
        // metrics -> runtime would close a cycle through runtime -> metrics: the rule names it.
        JavaClasses offending = new ClassFileImporter().importClasses(
                io.gatewise.architecture.fixture.ReaderThatTakesTheGateway.class, io.gatewise.runtime.Gateway.class);
        EvaluationResult result = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("readers").definedBy(BASE + ".architecture.fixture..")
                .layer("runtime").definedBy(packages("runtime"))
                .whereLayer("runtime").mayNotBeAccessedByAnyLayer()
                .evaluate(offending);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("ReaderThatTakesTheGateway", "Gateway");
    }

    @Test
    void theServletRuleFailsOnAServletTypeInAPortablePackage() {
        JavaClasses offending = new ClassFileImporter().importClasses(
                io.gatewise.architecture.fixture.ReaderThatTakesTheGateway.class);
        EvaluationResult result = noClasses().that().resideInAPackage(BASE + ".architecture.fixture..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..").evaluate(offending);
        assertThat(result.hasViolation()).isTrue();
    }
}
