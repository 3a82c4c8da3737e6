package chat.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * `chat post CHANNEL` without text, in a real terminal: it says it reads the message from standard input instead of
 * waiting silently; from a file or pipe it says nothing (issue 17, item 5).
 */
@Timeout(90)
class PostHintTest {
    static final String HINT = "reading the message from standard input; end with Ctrl-D";

    @TempDir
    Path folder;
    private CliHarness chat;
    private TmuxSessions tmux;

    @BeforeEach
    void start() {
        chat = new CliHarness(folder.resolve("alice"));
        tmux = new TmuxSessions(folder);
    }

    @AfterEach
    void stop() throws Exception {
        tmux.close();
        chat.close();
    }

    @Test
    void atATerminalPostSaysItReadsStandardInputAndPostsWhatIsTyped() throws Exception {
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        assertEquals(ExitCode.OK, chat.chat("create", "general").exitCode());
        tmux.startChat("alice", chat.url(), chat.configDir, Map.of(), "post", "general");
        tmux.awaitScreen("alice", "the hint", screen -> screen.contains(HINT));
        tmux.enter("alice", "typed at the terminal");
        tmux.press("alice", "C-d");
        tmux.awaitScreen("alice", "post to end", screen -> screen.contains("chat exited 0"));
        assertEquals("[1] alice: typed at the terminal", CliHarness.untimed(chat.chat("read", "general").out().strip()));
    }

    @Test
    void fromAFilePostSaysNothingOnTheTerminal() throws Exception {
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        assertEquals(ExitCode.OK, chat.chat("create", "general").exitCode());
        Path message = Files.writeString(folder.resolve("message.txt"), "from a file\n");
        tmux.startChatReadingFrom("alice", chat.url(), chat.configDir, message, "post", "general");
        String screen = tmux.awaitScreen("alice", "post to end", text -> text.contains("chat exited 0"));
        assertFalse(screen.contains("standard input"), screen);
        assertEquals("[1] alice: from a file", CliHarness.untimed(chat.chat("read", "general").out().strip()));
    }
}
