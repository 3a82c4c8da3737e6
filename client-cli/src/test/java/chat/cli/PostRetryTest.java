package chat.cli;

import chat.config.Config;
import chat.config.Rate;
import chat.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A post whose answer was lost is sent again with its idempotency key, and the server keeps it once (spec post/5):
 * through a proxy that lets the requests reach the real server and drops the first answers.
 */
@Timeout(60)
class PostRetryTest {
    @TempDir
    Path configDir;

    @Test
    void aPostWhoseAnswersWereLostIsRetriedAndStoredOnce() throws Exception {
        try (CliHarness chat = new CliHarness(configDir);
             CuttableProxy proxy = new CuttableProxy(chat.server.port());
             ChatClient bob = new ChatClient(chat.url())) {
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            CliHarness.Run logon = CliHarness.chatWith(proxy.url(), configDir, "logon", "alice", "--password-env", "pw");
            assertEquals(ExitCode.OK, logon.exitCode(), logon.toString());
            int before = proxy.connections();
            proxy.loseNext(2);

            CliHarness.Run post = CliHarness.chatWith(proxy.url(), configDir, "post", "general", "said", "once");
            assertEquals(ExitCode.OK, post.exitCode(), post.toString());
            assertEquals(0, proxy.answersStillToLose(), "both answers were lost");
            assertTrue(proxy.connections() - before >= 3, "the post reached the server three times: " + proxy.connections());
            assertEquals(1, bob.lastMessage(key, "general"), "stored once");
            List<Message> kept = bob.retrieve(key, "general", 1, 9);
            assertEquals("said once", kept.get(0).text(), kept.toString());
        }
    }

    @Test
    void aRetryRefusedByThePostLimitIsSentAgainAfterTheWaitSinceTheFirstMayHaveLanded() throws Exception {
        try (CliHarness chat = new CliHarness(configDir, Config.defaults().with(Settings.CLIENT_LIMIT_EXEMPT, "")
                     .with(Settings.RATE_POSTS, new Rate(1, Duration.ofSeconds(1))));
             CuttableProxy proxy = new CuttableProxy(chat.server.port());
             ChatClient bob = new ChatClient(chat.url())) {
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            CliHarness.Run logon = CliHarness.chatWith(proxy.url(), configDir, "logon", "alice", "--password-env", "pw");
            assertEquals(ExitCode.OK, logon.exitCode(), logon.toString());
            proxy.loseNext(1); // the post lands and takes alice's one token; its answer is lost

            CliHarness.Run post = CliHarness.chatWith(proxy.url(), configDir, "post", "general", "said", "once");
            assertEquals(ExitCode.OK, post.exitCode(), post.toString());
            assertTrue(post.err().contains("rate limited"), "the retry waited out the post limit: " + post);
            assertEquals(1, bob.lastMessage(key, "general"), "stored once");
        }
    }

    @Test
    void eachPostHasAKeyOfItsOwnSoTheSameTextPostedTwiceIsTwoPosts() throws Exception {
        try (CliHarness chat = new CliHarness(configDir); ChatClient bob = new ChatClient(chat.url())) {
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            bob.post(key, "general", "again");
            bob.post(key, "general", "again");
            assertEquals(2, bob.lastMessage(key, "general"));
        }
    }
}
