package io.gatewise.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandTest {
    @Test
    void noArgumentsRunsTheDemo() {
        assertThat(Command.parse()).isEqualTo(new Command(Command.Mode.DEMO, null, Optional.empty()));
    }

    @Test
    void configAndPortAreRead() {
        assertThat(Command.parse("--config", "g.yaml", "--port", "0"))
                .isEqualTo(new Command(Command.Mode.RUN, Path.of("g.yaml"), Optional.of(0)));
        assertThat(Command.parse("--check-config", "g.yaml").mode()).isEqualTo(Command.Mode.CHECK);
        assertThat(Command.parse("--port", "9090")).isEqualTo(new Command(Command.Mode.DEMO, null, Optional.of(9090)));
        assertThat(Command.parse("--help").mode()).isEqualTo(Command.Mode.HELP);
        assertThat(Command.parse("--tls-port", "9443"))
                .isEqualTo(new Command(Command.Mode.DEMO, null, Optional.empty(), Optional.of(9443)));
    }

    @Test
    void wrongLinesSayWhatIsWrong() {
        assertThatThrownBy(() -> Command.parse("--config")).hasMessage("--config needs a value");
        assertThatThrownBy(() -> Command.parse("--port", "http")).hasMessage("--port http (expected: 0 to 65535)");
        assertThatThrownBy(() -> Command.parse("--port", "70000")).hasMessage("--port 70000 (expected: 0 to 65535)");
        assertThatThrownBy(() -> Command.parse("--tls-port", "-1")).hasMessage("--tls-port -1 (expected: 0 to 65535)");
        assertThatThrownBy(() -> Command.parse("--diagnose", "http://127.0.0.1:1", "--tls-port", "0"))
                .hasMessage("--diagnose takes --config FILE, --json and --lang only");
        assertThatThrownBy(() -> Command.parse("--verbose")).hasMessage("unknown option --verbose");
        assertThatThrownBy(() -> Command.parse("--config", "a.yaml", "--check-config", "b.yaml"))
                .hasMessage("give one config file, with --config or --check-config");
    }
}
