package chat.cli;

import chat.cli.CliHarness.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions are kept per server's normal URL (issue 17, item 3): spellings of one URL share one. */
@Timeout(60)
class SessionServersTest {
    @TempDir
    Path configDir;
    private CliHarness chat;
    private int port;

    @BeforeEach
    void start() {
        chat = new CliHarness(configDir);
        port = Integer.parseInt(chat.url().replaceFirst("^.*:", ""));
    }

    @AfterEach
    void stop() {
        chat.close();
    }

    private Run as(String server, String... args) {
        return CliHarness.chatWith(server, configDir, args);
    }

    @Test
    void spellingsOfOneUrlShareOneSession() {
        assertEquals(ExitCode.OK, as("HTTP://127.0.0.1:" + port + "/", "logon", "alice", "--password-env", "pw")
                .exitCode());
        for (String spelling : new String[]{"http://127.0.0.1:" + port, "127.0.0.1:" + port, "http://127.0.0.1:" + port
                + "//"}) {
            Run run = as(spelling, "channels");
            assertEquals(ExitCode.OK, run.exitCode(), spelling + ": " + run);
        }
        Run logoff = as("127.0.0.1:" + port + "/", "logoff");
        assertEquals(ExitCode.OK, logoff.exitCode(), logoff.toString());
        assertEquals(ExitCode.REFUSED, chat.chat("channels").exitCode(), "logged off under every spelling");
    }

    @Test
    void localhostIsAnotherServerAndNotLoggedOnListsTheServersThatHaveSessions() {
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        Run run = as("localhost:" + port, "channels");
        assertEquals(ExitCode.REFUSED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("not logged on to http://localhost:" + port), run.toString());
        assertTrue(run.err().contains("you have sessions for http://127.0.0.1:" + port), run.toString());
    }

    @Test
    void aSessionFileWrittenByExactSpellingIsNormalisedWhenRead() throws Exception {
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        long key = new SessionFile(configDir).require(chat.url()).sesskey();
        // What an older client wrote for `--server HTTP://127.0.0.1:PORT/`, beside an entry for another server.
        Files.writeString(configDir.resolve("sessions.json"), "{\"HTTP://127.0.0.1:" + port + "/\": {\"username\": "
                + "\"alice\", \"sesskey\": " + key + "}, \"http://chat.example.org:80\": {\"username\": \"al\", "
                + "\"sesskey\": 1}}");
        Run channels = chat.chat("channels");
        assertEquals(ExitCode.OK, channels.exitCode(), channels.toString());

        assertEquals(ExitCode.OK, chat.chat("create", "general").exitCode());
        assertEquals(ExitCode.OK, as("chat.example.org", "logoff", "--help").exitCode());
        assertEquals(ExitCode.OK, chat.chat("logoff").exitCode()); // writes the file: in normal form now
        String stored = Files.readString(configDir.resolve("sessions.json"));
        assertTrue(stored.contains("\"http://chat.example.org\""), stored);
        assertFalse(stored.contains("HTTP://") || stored.contains(":80\""), stored);
    }
}
