package chat.cli;

import chat.cli.CliHarness.Run;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With --json, a failure is one JSON object on stderr ({"error", "message", "exit"}) and the exit code is the same as
 * without; and against a stopped server a command says "retrying..." once its retries have run for a second.
 */
@Timeout(60)
class ErrorsAsJsonTest {
    @TempDir
    Path configDir;
    private CliHarness chat;

    @BeforeEach
    void start() {
        chat = new CliHarness(configDir);
    }

    @AfterEach
    void stop() {
        chat.close();
    }

    /** The run's stderr lines, each a JSON object; the last is the error. */
    private static List<JsonObject> stderrObjects(Run run) {
        try {
            return run.err().lines().map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
        } catch (JsonParseException | IllegalStateException e) {
            throw new AssertionError("stderr is not JSON objects, a line each: " + run, e);
        }
    }

    private static void assertError(String code, int exit, Run run) {
        assertEquals(exit, run.exitCode(), run.toString());
        assertEquals("", run.out(), run.toString());
        List<JsonObject> objects = stderrObjects(run);
        JsonObject error = objects.get(objects.size() - 1);
        assertEquals(code, string(error, "error"), run.toString());
        assertEquals(exit, error.get("exit").getAsInt(), run.toString());
        assertTrue(!string(error, "message").isBlank(), run.toString());
    }

    private static String string(JsonObject object, String name) {
        JsonElement value = object.get(name);
        assertTrue(value != null && value.isJsonPrimitive(), "no \"" + name + "\" string in " + object);
        return value.getAsString();
    }

    @Test
    void everyKindOfFailureIsAJsonObjectWithTheSameExitCode() {
        assertError("NOT_LOGGED_ON", ExitCode.REFUSED, chat.chat("--json", "channels"));
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        assertEquals(ExitCode.OK, chat.chat("create", "general").exitCode());
        assertError("CHANNEL_EXISTS", ExitCode.REFUSED, chat.chat("create", "general", "--json"));
        assertError("CHANNEL_NOT_FOUND", ExitCode.REFUSED, chat.chat("--json", "read", "nowhere"));
        assertError("USAGE", ExitCode.USAGE, chat.chat("--json", "post"));
        assertError("USAGE", ExitCode.USAGE, chat.chat("--json", "no-such-command"));
        assertError("USAGE", ExitCode.USAGE, CliHarness.chatWith("ftp://x", configDir, "--json", "channels"));
        // The same failure for people: a line, not JSON.
        Run plain = chat.chat("create", "general");
        assertEquals(ExitCode.REFUSED, plain.exitCode());
        assertTrue(plain.err().startsWith("error: a channel named \"general\" exists already"), plain.toString());
    }

    @Test
    void aStoppedServerIsSaidToBeRetriedOnceAndTheCommandExitsThree() throws Exception {
        String stopped = stoppedServer();
        new SessionFile(configDir).store(stopped, new SessionFile.Session("alice", 42));
        Run channels = CliHarness.chatWith(stopped, configDir, "channels");
        assertEquals(ExitCode.UNREACHABLE, channels.exitCode(), channels.toString());
        assertEquals(1, TmuxSessions.occurrences(channels.err(), "retrying..."), channels.toString());
        assertTrue(channels.err().startsWith("cannot reach " + stopped + " yet; retrying...\nerror: cannot reach "
                + stopped), channels.toString());

        Run json = CliHarness.chatWith(stopped, configDir, "--json", "channels");
        List<JsonObject> objects = stderrObjects(json);
        assertEquals("cannot reach " + stopped + " yet; retrying...", string(objects.get(0), "notice"), json.toString());
        assertError("UNREACHABLE", ExitCode.UNREACHABLE, json);

        // logon is not retried (a second try could register twice), so it fails at once, saying nothing of retries.
        Run logon = CliHarness.chatWith(stopped, configDir, "logon", "bob", "--password-env", "pw");
        assertEquals(ExitCode.UNREACHABLE, logon.exitCode(), logon.toString());
        assertEquals(0, TmuxSessions.occurrences(logon.err(), "retrying"), logon.toString());
    }

    private static String stoppedServer() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
