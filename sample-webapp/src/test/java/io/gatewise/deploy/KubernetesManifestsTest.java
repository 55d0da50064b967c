package io.gatewise.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.gatewise.config.ConfigLoader;
import io.gatewise.config.Durations;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.runtime.Gateway;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests, alerts and dashboard in {@code src/deploy/kubernetes} name the ports,
 * paths, config and metrics the gateway really has, and the alerting rules pass promtool.
 */
class KubernetesManifestsTest {
    /** The metrics of the operations contract (issue 13): outside tooling relies on these names. */
    private static final Set<String> CONTRACT_METRICS = Set.of(
            "gatewise_requests_seconds",
            "gatewise_proxy_errors_total",
            "gatewise_upstream_attempt_failures_total",
            "gatewise_retries_total",
            "gatewise_retry_budget_exhausted_total",
            "gatewise_upstream_state",
            "gatewise_config_reloads_total",
            "gatewise_config_last_reload_success_timestamp_seconds");
    /** The contract's labels, and those Prometheus adds when it scrapes ({@code le} for histogram buckets). */
    private static final Set<String> KNOWN_LABELS = Set.of("route", "method", "status", "upstream", "error_type",
            "cause", "phase", "result", "state", "namespace", "job", "pod", "instance", "service", "le");
    private static final Set<String> UPSTREAM_STATES = Set.of("healthy", "ejected", "unhealthy", "circuit_open",
            "draining", "maintenance");
    private static final Set<String> RELOAD_RESULTS = Set.of("success", "failure");
    private static final String EXAMPLE_SECRET = "admin-token-secret.example.yaml";

    private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static Map<String, List<JsonNode>> manifests;
    private static JsonNode gatewayYaml;

    @TempDir
    Path temp;

    @BeforeAll
    static void readManifests() throws IOException {
        dir = locate(Path.of("src", "deploy", "kubernetes"));
        manifests = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().collect(Collectors.toList())) {
                List<JsonNode> documents = new ArrayList<>();
                try (var parser = YAML.getFactory().createParser(file.toFile())) {
                    YAML.readValues(parser, JsonNode.class).forEachRemaining(node -> {
                        if (node != null && !node.isNull()) {
                            documents.add(node);
                        }
                    });
                }
                manifests.put(file.getFileName().toString(), documents);
            }
        }
        gatewayYaml = YAML.readTree(configMap().path("data").path("gateway.yaml").asText());
    }

    private static Path locate(Path relative) {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.isDirectory(at.resolve(relative))) {
                return at.resolve(relative);
            }
        }
        throw new AssertionError("no " + relative + " above " + Path.of("").toAbsolutePath());
    }

    // ---- the manifests themselves ----

    @Test
    void everyManifestParsesAndTheKustomizationListsThemAll() throws IOException {
        assertThat(manifests).containsKeys("deployment.yaml", "service.yaml", "configmap.yaml", EXAMPLE_SECRET,
                "poddisruptionbudget.yaml", "servicemonitor.yaml", "prometheusrule.yaml", "kustomization.yaml");
        manifests.forEach((file, documents) -> {
            assertThat(documents).as(file).isNotEmpty();
            for (JsonNode document : documents) {
                assertThat(document.path("apiVersion").asText()).as(file + " apiVersion").isNotEmpty();
                assertThat(document.path("kind").asText()).as(file + " kind").isNotEmpty();
                if (!file.equals("kustomization.yaml")) {
                    assertThat(document.path("metadata").path("name").asText()).as(file + " name").isNotEmpty();
                }
            }
        });

        JsonNode kustomization = only("kustomization.yaml");
        Set<String> listed = texts(kustomization.path("resources"));
        Set<String> expected = new LinkedHashSet<>(manifests.keySet());
        expected.remove("kustomization.yaml");
        // Applying the kustomization must never replace the real token with the example's placeholder.
        expected.remove(EXAMPLE_SECRET);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            for (String file : texts(generator.path("files"))) {
                assertThat(dir.resolve(file)).isRegularFile();
            }
        }
        JSON.readTree(dir.resolve("grafana/gatewise-dashboard.json").toFile());
    }

    @Test
    void theDeploymentRunsReplicasOfTheConfiguredGatewayAsAnUnprivilegedUser() {
        JsonNode deployment = kind("Deployment");
        assertThat(deployment.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
        JsonNode pod = deployment.path("spec").path("template");
        assertSelects(deployment.path("spec").path("selector").path("matchLabels"), pod.path("metadata").path("labels"));

        JsonNode container = container();
        List<String> commandLine = new ArrayList<>();
        container.path("command").forEach(part -> commandLine.add(part.asText()));
        container.path("args").forEach(part -> commandLine.add(part.asText()));
        assertThat(commandLine).containsExactly("java", "-jar", "/app/gatewise.jar", "--config",
                "/etc/gatewise/gateway.yaml");

        // The config is the ConfigMap mounted as a directory: a subPath mount would never see an update.
        JsonNode configMount = mountAt("/etc/gatewise");
        assertThat(configMount.has("subPath")).as("subPath on the config mount").isFalse();
        assertThat(volume(configMount.path("name").asText()).path("configMap").path("name").asText())
                .isEqualTo(configMap().path("metadata").path("name").asText());
        assertThat(configMap().path("data").has("gateway.yaml")).isTrue();

        // The admin token file is the Secret's key under the Secret's mount.
        Path tokenFile = Path.of(gatewayYaml.path("admin").path("tokenFile").asText());
        JsonNode tokenMount = mountAt(tokenFile.getParent().toString());
        JsonNode secretVolume = volume(tokenMount.path("name").asText()).path("secret");
        JsonNode secret = only(EXAMPLE_SECRET);
        assertThat(secretVolume.path("secretName").asText()).isEqualTo(secret.path("metadata").path("name").asText());
        assertThat(secret.path("stringData").has(tokenFile.getFileName().toString())).isTrue();
        assertThat(secret.path("stringData").path(tokenFile.getFileName().toString()).asText())
                .as("the example token is a placeholder").contains("REPLACE");

        JsonNode podSecurity = pod.path("spec").path("securityContext");
        JsonNode security = container.path("securityContext");
        assertThat(podSecurity.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(podSecurity.path("runAsUser").asInt()).isGreaterThan(0);
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(volume(mountAt("/tmp").path("name").asText()).has("emptyDir")).as("a writable /tmp").isTrue();
        assertThat(container.path("resources").path("requests").has("memory")).isTrue();
        assertThat(container.path("resources").path("limits").has("memory")).isTrue();
    }

    @Test
    void theImageAndTheDeploymentRunTheMeasuredFootprintAndTheReplicaWarmsUpBeforeReadiness() throws IOException {
        Map<String, String> image = dockerfileEnvironment(Files.readString(locate(Path.of("src", "deploy", "docker"))
                .resolve("Dockerfile")));
        Map<String, String> deployment = new TreeMap<>();
        container().path("env").forEach(variable -> deployment.put(variable.path("name").asText(),
                variable.path("value").asText()));
        // The deployment says what the image says: one footprint, not two that drift apart.
        assertThat(deployment).containsEntry("JAVA_TOOL_OPTIONS", image.get("JAVA_TOOL_OPTIONS"))
                .containsEntry("MALLOC_ARENA_MAX", image.get("MALLOC_ARENA_MAX"));
        String flags = image.get("JAVA_TOOL_OPTIONS");
        assertThat(flags).contains("-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC");
        Matcher share = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(flags);
        assertThat(share.find()).as("the heap is a share of the limit").isTrue();
        JsonNode resources = container().path("resources");
        long limitMiB = mebibytes(resources.path("limits").path("memory").asText());
        assertThat(mebibytes(resources.path("requests").path("memory").asText())).isEqualTo(limitMiB);
        // The heap the share gives under the limit holds the gateway's live data (about 12 MiB) many times over.
        assertThat(limitMiB * Integer.parseInt(share.group(1)) / 100).isGreaterThanOrEqualTo(64);
        assertThat(Durations.parse(gatewayYaml.path("gateway").path("warmup").asText()))
                .isPositive();
    }

    /** @return the variables of the Dockerfile's {@code ENV} instructions, continuation lines joined */
    private static Map<String, String> dockerfileEnvironment(String dockerfile) {
        Map<String, String> environment = new TreeMap<>();
        Matcher instruction = Pattern.compile("(?m)^ENV ((?:[^\\n]*\\\\\\n)*[^\\n]*)")
                .matcher(dockerfile);
        Pattern pair = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|\\S+)");
        while (instruction.find()) {
            Matcher variable = pair.matcher(instruction.group(1).replace("\\\n", " "));
            while (variable.find()) {
                environment.put(variable.group(1), variable.group(2).replaceAll("^\"|\"$", ""));
            }
        }
        return environment;
    }

    private static long mebibytes(String quantity) {
        if (quantity.endsWith("Mi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2));
        }
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        throw new AssertionError("a memory quantity in Mi or Gi: " + quantity);
    }

    @Test
    void theProbesAskTheAdminPortForLivezAndReadyz() {
        JsonNode container = container();
        int adminPort = gatewayYaml.path("admin").path("port").asInt();
        assertThat(adminPort).isPositive();

        assertThat(probe(container, "livenessProbe")).isEqualTo(Map.entry(adminPort, "/livez"));
        assertThat(probe(container, "readinessProbe")).isEqualTo(Map.entry(adminPort, "/readyz"));
        if (container.has("startupProbe")) {
            assertThat(probe(container, "startupProbe").getKey()).isEqualTo(adminPort);
            assertThat(probe(container, "startupProbe").getValue()).isIn("/livez", "/readyz");
        }
    }

    private static Map.Entry<Integer, String> probe(JsonNode container, String name) {
        JsonNode get = container.path(name).path("httpGet");
        assertThat(get.isMissingNode()).as(name + ".httpGet").isFalse();
        assertThat(get.path("scheme").asText("HTTP")).as(name + " scheme").isEqualTo("HTTP");
        return Map.entry(containerPort(get.path("port")), get.path("path").asText());
    }

    @Test
    void theContainerPortsAreTheConfiguredOnes() throws Exception {
        GatewayConfig config = loadGatewayYaml();
        Map<String, Integer> ports = new HashMap<>();
        container().path("ports").forEach(port -> ports.put(port.path("name").asText(),
                port.path("containerPort").asInt()));
        assertThat(ports).containsOnly(Map.entry("http", config.gateway().port()),
                Map.entry("admin", gatewayYaml.path("admin").path("port").asInt()));
        // The kubelet probes and Prometheus scrapes the pod's address, not its loopback.
        assertThat(gatewayYaml.path("admin").path("host").asText()).isIn("0.0.0.0", "*", "::");
        assertThat(config.gateway().host()).as("gateway.host: all interfaces").isIn(null, "0.0.0.0", "*", "::");
    }

    @Test
    void theConfigIsOneTheGatewayAcceptsAndWatches() throws Exception {
        GatewayConfig config = loadGatewayYaml();
        // As --check-config does: also compiles every error page template.
        Gateway.builder(config).build();
        assertThat(gatewayYaml.path("gateway").path("watchConfig").asBoolean()).isTrue();
    }

    @Test
    void theGracePeriodOutlastsTheShutdownDelayAndTimeout() throws Exception {
        GatewayConfig config = loadGatewayYaml();
        Duration delay = Durations.parse(gatewayYaml.path("gateway").path("shutdownDelay").asText("0s"));
        Duration timeout = config.gateway().shutdownTimeout();
        assertThat(delay).as("gateway.shutdownDelay").isPositive();
        JsonNode pod = kind("Deployment").path("spec").path("template").path("spec");
        Duration grace = Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong(30));
        // A preStop hook runs inside the grace period, before SIGTERM reaches the gateway.
        Duration preStop = Duration.ofSeconds(container().path("lifecycle").path("preStop").path("sleep")
                .path("seconds").asLong(0));
        assertThat(container().path("lifecycle").path("preStop").path("exec").isMissingNode())
                .as("a preStop exec hook, whose length this test cannot know").isTrue();
        assertThat(grace).isGreaterThan(preStop.plus(delay).plus(timeout));
        // A request taken just before draining can still finish within shutdownTimeout.
        for (RouteConfig route : config.routes()) {
            assertThat(route.timeouts().response()).as(route.path() + " timeouts.response").isLessThanOrEqualTo(timeout);
        }
    }

    @Test
    void theServicesAndTheDisruptionBudgetSelectTheGatewayPods() {
        JsonNode podLabels = kind("Deployment").path("spec").path("template").path("metadata").path("labels");
        Set<String> containerPortNames = new LinkedHashSet<>();
        container().path("ports").forEach(port -> containerPortNames.add(port.path("name").asText()));
        List<JsonNode> services = all("Service");
        assertThat(services).isNotEmpty();
        for (JsonNode service : services) {
            assertSelects(service.path("spec").path("selector"), podLabels);
            for (JsonNode port : service.path("spec").path("ports")) {
                assertThat(port.path("targetPort").asText()).isIn(containerPortNames);
            }
        }
        assertThat(services).anySatisfy(service -> assertThat(texts(service.path("spec").path("ports"), "targetPort"))
                .containsExactly("http"));
        JsonNode budget = kind("PodDisruptionBudget");
        assertSelects(budget.path("spec").path("selector").path("matchLabels"), podLabels);
        int replicas = kind("Deployment").path("spec").path("replicas").asInt();
        if (budget.path("spec").has("maxUnavailable")) {
            assertThat(budget.path("spec").path("maxUnavailable").asInt()).isBetween(1, replicas - 1);
        } else {
            assertThat(budget.path("spec").path("minAvailable").asInt()).isBetween(1, replicas - 1);
        }
    }

    @Test
    void theServiceMonitorScrapesMetricsOnTheAdminPortWithTheToken() {
        JsonNode monitor = kind("ServiceMonitor");
        JsonNode service = all("Service").stream()
                .filter(candidate -> selects(monitor.path("spec").path("selector").path("matchLabels"),
                        candidate.path("metadata").path("labels")))
                .collect(Collectors.collectingAndThen(Collectors.toList(), found -> {
                    assertThat(found).as("Services the ServiceMonitor selects").hasSize(1);
                    return found.get(0);
                }));
        JsonNode endpoints = monitor.path("spec").path("endpoints");
        assertThat(endpoints).hasSize(1);
        JsonNode endpoint = endpoints.get(0);
        assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
        JsonNode servicePort = null;
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port.path("name").asText().equals(endpoint.path("port").asText())) {
                servicePort = port;
            }
        }
        assertThat(servicePort).as("the Service port named " + endpoint.path("port")).isNotNull();
        assertThat(containerPort(servicePort.path("targetPort"))).isEqualTo(gatewayYaml.path("admin").path("port").asInt());

        JsonNode authorization = endpoint.path("authorization");
        assertThat(authorization.path("type").asText()).isEqualTo("Bearer");
        JsonNode secret = only(EXAMPLE_SECRET);
        assertThat(authorization.path("credentials").path("name").asText())
                .isEqualTo(secret.path("metadata").path("name").asText());
        assertThat(authorization.path("credentials").path("key").asText())
                .isEqualTo(Path.of(gatewayYaml.path("admin").path("tokenFile").asText()).getFileName().toString());
    }

    // ---- metrics in the alerts and the dashboard ----

    @Test
    void theAlertsAndTheDashboardUseOnlyTheContractsMetricsAndLabels() throws IOException {
        List<String> expressions = new ArrayList<>();
        for (JsonNode rule : rules()) {
            expressions.add(rule.path("expr").asText());
        }
        expressions.addAll(dashboardQueries());
        Set<String> used = new LinkedHashSet<>();
        for (String expression : expressions) {
            Matcher metric = Pattern.compile("\\bgatewise_[a-z0-9_]+").matcher(expression);
            while (metric.find()) {
                used.add(metric.group());
                assertThat(isContractMetric(metric.group())).as(metric.group() + " in " + expression).isTrue();
            }
            Matcher grouping = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)")
                    .matcher(expression);
            while (grouping.find()) {
                for (String label : grouping.group(1).split(",")) {
                    if (!label.isBlank()) {
                        assertThat(label.trim()).as("label in " + expression).isIn(KNOWN_LABELS);
                    }
                }
            }
            Matcher matcher = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"")
                    .matcher(expression);
            while (matcher.find()) {
                assertThat(matcher.group(1)).as("label in " + expression).isIn(KNOWN_LABELS);
                if (matcher.group(1).equals("state")) {
                    assertThat(matcher.group(3)).isIn(UPSTREAM_STATES);
                }
                if (matcher.group(1).equals("result") && expression.contains("gatewise_config_reloads_total")) {
                    assertThat(matcher.group(3)).isIn(RELOAD_RESULTS);
                }
            }
        }
        // The dashboard shows every contract metric; the histogram through its buckets (p99).
        assertThat(used).contains("gatewise_requests_seconds_bucket", "gatewise_requests_seconds_count",
                "gatewise_proxy_errors_total", "gatewise_upstream_state", "gatewise_config_reloads_total");
    }

    /** A contract counter or gauge by its name, or the histogram by one of its series (Micrometer adds {@code _max}). */
    private static boolean isContractMetric(String name) {
        if (name.equals("gatewise_requests_seconds")) {
            return false;
        }
        return CONTRACT_METRICS.contains(name) || Stream.of("_bucket", "_count", "_sum", "_max")
                .anyMatch(suffix -> name.equals("gatewise_requests_seconds" + suffix));
    }

    @Test
    void theAlertsCoverTheContractsFailuresAndSayWhatToCheck() {
        Map<String, String> alerts = new TreeMap<>();
        for (JsonNode rule : rules()) {
            String name = rule.path("alert").asText();
            assertThat(name).as("a recording rule among the alerts").isNotEmpty();
            alerts.put(name, rule.path("expr").asText());
            assertThat(rule.path("labels").path("severity").asText()).as(name + " severity").isIn("critical", "warning");
            assertThat(rule.path("annotations").path("summary").asText()).as(name + " summary").isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(name + " description")
                    .contains("/admin/");
        }
        assertThat(alerts.values()).anySatisfy(expr -> assertThat(expr)
                .contains("gatewise_requests_seconds_count{status=~\"5..\"}", "by (namespace, job, route)", ">= 100"));
        assertThat(alerts.values()).anySatisfy(expr -> assertThat(expr).contains("state=\"healthy\""));
        assertThat(alerts.values()).anySatisfy(expr -> assertThat(expr)
                .contains("gatewise_config_reloads_total{result=\"failure\"}"));
    }

    // ---- promtool ----

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTests() throws Exception {
        Optional<Path> promtool = promtool();
        if (System.getenv("CI") != null) {
            assertThat(promtool).as("promtool (Debian's prometheus package) on the PATH under CI").isPresent();
        }
        assumeTrue(promtool.isPresent(), "promtool is not installed (apt-get install prometheus)");

        ObjectNode groups = YAML.createObjectNode();
        groups.set("groups", kind("PrometheusRule").path("spec").path("groups"));
        Path rules = temp.resolve("gatewise-rules.yaml");
        YAML.writeValue(rules.toFile(), groups);
        run(promtool.get(), "check", "rules", rules.toString());

        Files.copy(dir.resolve("promtool/gatewise-rules.test.yaml"), temp.resolve("gatewise-rules.test.yaml"));
        run(promtool.get(), "test", "rules", temp.resolve("gatewise-rules.test.yaml").toString());

        // The dashboard's queries are valid PromQL too, with Grafana's variables filled in.
        ArrayNode recorded = YAML.createArrayNode();
        List<String> queries = dashboardQueries();
        for (int i = 0; i < queries.size(); i++) {
            String query = queries.get(i).replace("$__rate_interval", "5m").replaceAll("\\$\\w+", "x");
            if (query.startsWith("label_values(")) {
                continue;
            }
            recorded.addObject().put("record", "gatewise_dashboard:query_" + i).put("expr", query);
        }
        ObjectNode dashboardGroups = YAML.createObjectNode();
        dashboardGroups.putArray("groups").addObject().put("name", "dashboard").set("rules", recorded);
        Path dashboardRules = temp.resolve("dashboard-queries.yaml");
        YAML.writeValue(dashboardRules.toFile(), dashboardGroups);
        run(promtool.get(), "check", "rules", dashboardRules.toString());
    }

    private static Optional<Path> promtool() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, "promtool");
            if (!entry.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void run(Path promtool, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(promtool.toString());
        command.addAll(List.of(args));
        Path output = temp.resolve("promtool.out");
        Process process = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60s");
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + text).isZero();
    }

    // ---- loading gateway.yaml ----

    /**
     * Loads the ConfigMap's gateway.yaml with {@link ConfigLoader}, as the pod would.
     * {@code admin.tokenFile} names the Secret's mount, which exists only in the pod: it is pointed
     * at a token file written here; everything else is loaded as written.
     */
    private GatewayConfig loadGatewayYaml() throws IOException {
        ObjectNode yaml = gatewayYaml.deepCopy();
        if (yaml.path("admin").has("tokenFile")) {
            Path token = Files.writeString(temp.resolve("admin-token"), "a-token-for-the-manifest-test");
            ((ObjectNode) yaml.get("admin")).put("tokenFile", token.toString());
        }
        Path file = temp.resolve("gateway.yaml");
        YAML.writeValue(file.toFile(), yaml);
        return ConfigLoader.load(file);
    }

    // ---- helpers ----

    private static JsonNode configMap() {
        return only("configmap.yaml");
    }

    private static JsonNode only(String file) {
        List<JsonNode> documents = manifests.get(file);
        assertThat(documents).as(file).hasSize(1);
        return documents.get(0);
    }

    private static List<JsonNode> all(String kind) {
        return manifests.values().stream().flatMap(List::stream)
                .filter(document -> document.path("kind").asText().equals(kind))
                .collect(Collectors.toList());
    }

    private static JsonNode kind(String kind) {
        List<JsonNode> found = all(kind);
        assertThat(found).as("manifests of kind " + kind).hasSize(1);
        return found.get(0);
    }

    private static JsonNode container() {
        JsonNode containers = kind("Deployment").path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static JsonNode mountAt(String path) {
        for (JsonNode mount : container().path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(path)) {
                return mount;
            }
        }
        throw new AssertionError("nothing mounted at " + path);
    }

    private static JsonNode volume(String name) {
        for (JsonNode volume : kind("Deployment").path("spec").path("template").path("spec").path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    /** A port given by number or by the name of one of the container's ports. */
    private static int containerPort(JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode declared : container().path("ports")) {
            if (declared.path("name").asText().equals(port.asText())) {
                return declared.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + port);
    }

    private static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        kind("PrometheusRule").path("spec").path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        assertThat(rules).isNotEmpty();
        return rules;
    }

    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = JSON.readTree(dir.resolve("grafana/gatewise-dashboard.json").toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                queries.add(variable.path("query").path("query").asText());
            }
        }
        assertThat(queries).isNotEmpty().doesNotContain("");
        return queries;
    }

    private static void assertSelects(JsonNode selector, JsonNode labels) {
        assertThat(selector.size()).as("selector " + selector).isPositive();
        assertThat(selects(selector, labels)).as(selector + " selects " + labels).isTrue();
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.size() == 0) {
            return false;
        }
        for (Map.Entry<String, JsonNode> label : selector.properties()) {
            if (!labels.path(label.getKey()).asText().equals(label.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> texts = new LinkedHashSet<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static Set<String> texts(JsonNode array, String field) {
        Set<String> texts = new LinkedHashSet<>();
        array.forEach(node -> texts.add(node.path(field).asText()));
        return texts;
    }
}
