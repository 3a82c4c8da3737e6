package chat.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17's first item, in join: another user's message that would set the window title and clear the screen
 * (OSC 2, then ED and CUP) reaches the joined user's terminal as visible, inert text, both as history replayed on
 * joining and as it arrives.
 */
@Timeout(90)
class JoinSafetyTest {
    /** Sets the title, clears the screen, homes the cursor: what the reporter posted. */
    static final String HOSTILE = "\u001b]2;PWNED-title\u0007\u001b[2J\u001b[Hgotcha";
    /** How it must show: caret notation, as cat -v. */
    static final String SHOWN = "^[]2;PWNED-title^G^[[2J^[[Hgotcha";

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
    void aHostileMessageLeavesTheScreenAndTitleUntouchedInHistoryAndLive() throws Exception {
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        try (ChatClient bob = new ChatClient(chat.url())) {
            long key = bob.logon("bob", "pw");
            bob.create(key, "general");
            bob.post(key, "general", HOSTILE); // history: replayed to alice when she joins

            tmux.startChat("alice", chat.url(), chat.configDir, Map.of(), "join", "general");
            String titleBefore = awaitTitle();
            tmux.awaitScreen("alice", "the replayed message, inert", screen -> screen.contains("[1] bob: " + SHOWN)
                    && screen.contains("general>"));
            bob.post(key, "general", HOSTILE); // live
            String screen = tmux.awaitScreen("alice", "the live message, inert",
                    text -> text.contains("[2] bob: " + SHOWN));

            assertTrue(screen.contains("connected to"), "the screen was not cleared:\n" + screen);
            assertEquals(titleBefore, tmux.title("alice"), "the title is untouched");
            assertFalse(tmux.title("alice").contains("PWNED"));
            String raw = tmux.raw("alice");
            assertFalse(raw.contains("\u001b]2;"), "no OSC reached the terminal");
            assertFalse(raw.contains("\u001b[2J"), "no screen clear reached the terminal");
        }
        tmux.enter("alice", "/quit");
        tmux.awaitScreen("alice", "join to end", text -> text.contains("chat exited 0"));
    }

    /** The title before anything is posted live: tmux's default (the host's name) until a program sets one. */
    private String awaitTitle() throws Exception {
        tmux.awaitScreen("alice", "the prompt", screen -> screen.contains("general>"));
        return tmux.title("alice");
    }
}
