package chat.server;

import chat.config.Config;
import chat.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line in-process: which value wins, and how a wrong one is told. No server is started. */
@Timeout(10)
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> environment, String... args) {
        Main main = new Main(environment);
        main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return main.commandLine().execute(args);
    }

    private static Config config(Map<String, String> environment, String... args) {
        Main main = new Main(environment);
        main.commandLine().parseArgs(args);
        return main.config();
    }

    @Test
    void aFlagWinsOverItsVariableWhichWinsOverTheDefault() {
        Config config = config(Map.of("CHAT_WINDOW", "9", "CHAT_PORT", "0", "CHAT_WS_PING", "2h"),
                "--window", "7", "--ws-silence=500ms");
        assertEquals(7, config.get(Settings.WINDOW));
        assertEquals(0, config.get(Settings.PORT));
        assertEquals(Duration.ofHours(2), config.get(Settings.WS_PING));
        assertEquals(Duration.ofMillis(500), config.get(Settings.WS_SILENCE));
        assertEquals(10, config.get(Settings.BCRYPT_COST));
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        assertEquals(8080, config(Map.of("CHAT_PORT", "")).get(Settings.PORT));
    }

    @Test
    void aValueThatIsNotANumberIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, run(Map.of(), "--port", "x"));
        assertTrue(err.toString().startsWith("chat-server: Invalid value for option '--port': not a whole number: 'x'"),
                err.toString());
    }

    @Test
    void aValueOutsideItsRangeIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, run(Map.of(), "--port", "70000"));
        assertEquals("chat-server: port must be 0 to 65535, got 70000", err.toString().trim());
    }

    @Test
    void aVariableIsCheckedLikeAFlag() {
        assertEquals(Main.EXIT_USAGE, run(Map.of("CHAT_WS_PING", "soon")));
        assertEquals("chat-server: Invalid value for environment variable CHAT_WS_PING: not a duration: 'soon' "
                + "(try 500ms, 10s, 30m, 2h)", err.toString().trim());
        assertEquals("store must be \"memory\" or a redis://host:port[/db] URL, got \"disk\"",
                assertThrows(IllegalArgumentException.class, () -> config(Map.of("CHAT_STORE", "disk"))).getMessage());
    }

    @Test
    void aFlagGivenHidesABadVariable() {
        assertEquals(1234, config(Map.of("CHAT_PORT", "x"), "--port", "1234").get(Settings.PORT));
    }

    @Test
    void helpAndVersionExitZero() {
        assertEquals(Main.EXIT_OK, run(Map.of(), "--help"));
        assertTrue(out.toString().contains("Every option can also be set by the environment variable in brackets."),
                out.toString());
        assertTrue(out.toString().contains("--port=<n>"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(Main.EXIT_OK, run(Map.of(), "--version"));
        assertTrue(out.toString().strip().matches("chat-server [0-9][^ ]* \\(commit [^ ]+\\)"),
                "the version Maven built and the commit: " + out);
    }
}
