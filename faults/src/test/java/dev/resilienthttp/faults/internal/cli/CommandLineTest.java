package dev.resilienthttp.faults.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void defaultsAreLoopbackAndToxiproxysPort() throws UsageException {
        CommandLine.Options options = CommandLine.parse();

        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(8474);
        assertThat(options.config()).isEmpty();
        assertThat(options.help()).isFalse();
    }

    @Test
    void acceptsGnuAndGoSpellingsOfEveryFlag() throws UsageException {
        assertThat(CommandLine.parse("--host", "localhost", "--port", "9000").port()).isEqualTo(9000);
        assertThat(CommandLine.parse("--port=9001").port()).isEqualTo(9001);
        assertThat(CommandLine.parse("-port", "9002").port()).isEqualTo(9002);
        assertThat(CommandLine.parse("-host=::1").host()).isEqualTo("::1");
        assertThat(CommandLine.parse("-config", "proxies.json").config()).contains(Path.of("proxies.json"));
        assertThat(CommandLine.parse("--help").help()).isTrue();
        assertThat(CommandLine.parse("-h").help()).isTrue();
        assertThat(CommandLine.parse("-version").version()).isTrue();
        assertThat(CommandLine.parse("-seed", "42").port()).isEqualTo(8474);
    }

    @Test
    void badFlagsAreUsageErrorsThatSayWhatIsWrong() {
        assertThatThrownBy(() -> CommandLine.parse("--bogus")).hasMessage("unknown flag: --bogus");
        assertThatThrownBy(() -> CommandLine.parse("--port", "http")).hasMessageContaining("invalid value \"http\" for flag --port");
        assertThatThrownBy(() -> CommandLine.parse("--port", "70000")).hasMessageContaining("from 0 to 65535");
        assertThatThrownBy(() -> CommandLine.parse("--port")).hasMessage("flag --port needs a value");
        assertThatThrownBy(() -> CommandLine.parse("serve")).hasMessage("unexpected argument: serve");
    }

    @Test
    void usageNamesEveryFlag() {
        assertThat(CommandLine.usage()).contains("--host", "--port", "--config", "--help", "--version");
    }
}
