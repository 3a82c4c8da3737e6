package chat.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** tail from a server without /ws: the feed falls back to polling, with what push gives otherwise. */
@Timeout(60)
class ChannelFeedTest {
    @TempDir
    Path configDir;

    @Test
    void withoutAWebSocketTailPollsAndShowsEachMessageOnce() throws Exception {
        try (CliHarness chat = new CliHarness(configDir);
             NoWebSocketProxy proxy = new NoWebSocketProxy(chat.url());
             ChatClient bob = new ChatClient(chat.url())) {
            logOnAlice(proxy);
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            bob.post(key, "general", "before tail");
            try (CliHarness.Background tail = new CliHarness.Background(proxy.url(), configDir, "tail", "general")) {
                tail.awaitOut("[1] bob: before tail", "the backlog");
                bob.post(key, "general", "while polled");
                tail.awaitOut("[2] bob: while polled", "a message found by polling");
                // The sentinel for "nothing doubled": a poll asks only for ids after the last one shown.
                bob.post(key, "general", "one more");
                tail.awaitOut("[3] bob: one more", "the message after it");
                assertEquals("[1] bob: before tail\n[2] bob: while polled\n[3] bob: one more", tail.out().strip(),
                        "each once, in order; " + tail);
                assertEquals("", tail.err(), "falling back to polling is silent; " + tail);
            }
        }
    }

    @Test
    void withoutAWebSocketTailEndsWhenTheSessionEnds() throws Exception {
        try (CliHarness chat = new CliHarness(configDir);
             NoWebSocketProxy proxy = new NoWebSocketProxy(chat.url())) {
            logOnAlice(proxy);
            assertEquals(ExitCode.OK, CliHarness.chatWith(proxy.url(), configDir, "create", "general").exitCode());
            assertEquals(ExitCode.OK, CliHarness.chatWith(proxy.url(), configDir, "post", "general", "hi").exitCode());
            try (CliHarness.Background tail = new CliHarness.Background(proxy.url(), configDir, "tail", "general")) {
                tail.awaitOut("[1] alice: hi", "the backlog");
                CliHarness.Run logoff = CliHarness.chatWith(proxy.url(), configDir, "logoff");
                assertEquals(ExitCode.OK, logoff.exitCode(), logoff.toString());
                tail.awaitErr("error: your session has ended or expired; log on again", "tail to say why it ends");
            }
        }
    }

    private void logOnAlice(NoWebSocketProxy proxy) {
        CliHarness.Run logon = CliHarness.chatWith(proxy.url(), configDir, "logon", "alice", "--password-env", "pw");
        assertEquals(ExitCode.OK, logon.exitCode(), logon.toString());
    }
}
