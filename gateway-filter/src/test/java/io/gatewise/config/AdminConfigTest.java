package io.gatewise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code admin} section: a token is required, checked, read from a file, and never shown. */
class AdminConfigTest {
    private static final String ROUTES = "routes:\n  - path: /api/\n    upstreams: [ { url: http://127.0.0.1:9001 } ]\n";

    @TempDir
    Path dir;

    @Test
    void withoutTheSectionThereIsNoAdminListener() {
        assertThat(ConfigLoader.parse(ROUTES, "gateway.yaml").admin()).isEmpty();
    }

    @Test
    void theSectionTakesItsDefaultsAndAToken() {
        AdminConfig admin = ConfigLoader.parse("admin: { token: abcdefghijklmnop }\n" + ROUTES, "gateway.yaml")
                .admin().orElseThrow();

        assertThat(admin.host()).isEqualTo("127.0.0.1");
        assertThat(admin.port()).isEqualTo(9901);
        assertThat(admin.token()).isEqualTo("abcdefghijklmnop");
        assertThat(admin.toString()).doesNotContain("abcdefghijklmnop");
    }

    @Test
    void aMissingTokenStopsWithWhatIsExpected() {
        assertThatThrownBy(() -> ConfigLoader.parse("admin: { port: 9901 }\n" + ROUTES, "gateway.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gateway.yaml:1:")
                .hasMessageContaining("admin.token: missing (expected: token or tokenFile, 16 or more characters");
    }

    @Test
    void aShortTokenIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> ConfigLoader.parse("admin: { token: hunter2 }\n" + ROUTES, "gateway.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.token: 7 characters (expected: 16 to 512 printable characters, no spaces)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aTokenFileIsReadWithoutItsFinalLineBreak() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "from-a-mounted-secret-0123\n");

        AdminConfig admin = ConfigLoader.parse("admin: { tokenFile: '" + file + "' }\n" + ROUTES, "gateway.yaml")
                .admin().orElseThrow();

        assertThat(admin.token()).isEqualTo("from-a-mounted-secret-0123");
    }

    @Test
    void anUnreadableTokenFileSaysSo() {
        assertThatThrownBy(() -> ConfigLoader.parse("admin: { tokenFile: '" + dir.resolve("absent") + "' }\n" + ROUTES,
                "gateway.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.tokenFile: " + dir.resolve("absent") + " cannot be read (NoSuchFileException)");
    }
}
