package chat.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Path;

import static chat.cli.CommandsTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tail over a network that drops: it reconnects, resubscribes from the last id, and loses or doubles nothing. */
@Timeout(60)
class ReconnectTest {
    @TempDir
    Path configDir;

    @Test
    void tailSurvivesADroppedConnectionWithoutLosingOrDoublingMessages() throws Exception {
        try (CliHarness chat = new CliHarness(configDir);
             CuttableProxy proxy = new CuttableProxy(chat.server.port());
             ChatClient bob = new ChatClient(chat.url())) {
            assertEquals(ExitCode.OK, CliHarness.chatWith(proxy.url(), configDir, "logon", "alice", "--password-env",
                    "pw").exitCode());
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Thread tail = CliHarness.inBackground(proxy.url(), configDir, out, err, "tail", "general");
            try {
                // tail subscribes from id 0 here, so it gets this message whenever its subscription lands.
                bob.post(key, "general", "before the blip");
                waitFor(() -> out.toString().contains("[1] bob: before the blip"), "the first message");

                proxy.cut();
                bob.post(key, "general", "during the blip");
                bob.post(key, "general", "still during it");
                waitFor(() -> out.toString().contains("[3] bob: still during it"), "the messages sent meanwhile");
                bob.post(key, "general", "after the blip");
                waitFor(() -> out.toString().contains("[4] bob: after the blip"), "a message after reconnecting");
            } finally {
                tail.interrupt();
                tail.join(10_000);
            }
            assertEquals("[1] bob: before the blip\n[2] bob: during the blip\n[3] bob: still during it\n"
                    + "[4] bob: after the blip", out.toString().strip(), "each once, in order");
            assertTrue(err.toString().contains("reconnect"), "the user is told: " + err);
        }
    }
}
