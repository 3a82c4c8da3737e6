package chat.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** tail over a network that drops: it reconnects, resubscribes from the last id, and loses or doubles nothing. */
@Timeout(90)
class ReconnectTest {
    @TempDir
    Path configDir;

    @Test
    void tailSurvivesADroppedConnectionWithoutLosingOrDoublingMessages() throws Exception {
        try (CliHarness chat = new CliHarness(configDir);
             CuttableProxy proxy = new CuttableProxy(chat.server.port());
             ChatClient bob = new ChatClient(chat.url())) {
            CliHarness.Run logon = CliHarness.chatWith(proxy.url(), configDir, "logon", "alice", "--password-env", "pw");
            assertEquals(ExitCode.OK, logon.exitCode(), logon.toString());
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            try (CliHarness.Background tail = new CliHarness.Background(proxy.url(), configDir, "tail", "general")) {
                // tail subscribes from id 0 here, so it gets this message whenever its subscription lands.
                bob.post(key, "general", "before the blip");
                tail.awaitOut("[1] bob: before the blip", "the first message");

                proxy.cut();
                // Posting only once tail has noticed makes sure these two can reach it only by resubscribing.
                tail.awaitErr("reconnecting", "tail to notice the dropped connection");
                bob.post(key, "general", "during the blip");
                bob.post(key, "general", "still during it");
                proxy.restore();
                tail.awaitOut("[3] bob: still during it", "the messages sent meanwhile");
                tail.awaitErr("(reconnected to general)", "tail to say it is back");

                // Also the sentinel for "nothing doubled": per channel events come in order (ws/5), so a
                // repeat of 1 to 3 from the new subscription would come before it.
                bob.post(key, "general", "after the blip");
                tail.awaitOut("[4] bob: after the blip", "a message after reconnecting");
                assertEquals("[1] bob: before the blip\n[2] bob: during the blip\n[3] bob: still during it\n"
                        + "[4] bob: after the blip", CliHarness.untimed(tail.out().strip()), "each once, in order; " + tail);
            }
        }
    }
}
