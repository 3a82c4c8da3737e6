package chat.cli;

import com.google.gson.JsonParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a line of chat reads: times in the clock's zone, actions, mentions, and colour only where it shows. */
class LineFormatTest {
    // 2026-12-02 14:03 in Paris; the same instant is 13:03 in UTC.
    private static final Instant NOW = Instant.parse("2026-12-02T13:03:30Z");
    private final Clock paris = Clock.fixed(NOW, ZoneId.of("Europe/Paris"));
    private final LineFormat plain = new LineFormat(paris, Style.PLAIN, "alice");

    private static Message message(String json) {
        return Message.from(JsonParser.parseString(json).getAsJsonObject());
    }

    @Test
    void aMessageOfTodayShowsItsLocalTimeAndOneOfAnotherDayItsDate() {
        Message today = message("{\"messageid\":42,\"username\":\"bob\",\"message\":\"hi\",\"time\":"
                + NOW.toEpochMilli() + "}");
        assertEquals("14:03 [42] bob: hi", plain.message(null, today).toString());
        assertEquals("14:03 #general [42] bob: hi", plain.message("general", today).toString());
        Message older = message("{\"messageid\":7,\"username\":\"bob\",\"message\":\"hi\",\"time\":"
                + Instant.parse("2026-11-30T23:30:00Z").toEpochMilli() + "}");
        assertEquals("2026-12-01 00:30 [7] bob: hi", plain.message(null, older).toString(), "Paris's date, not UTC's");
    }

    @Test
    void aMessageWithoutATimeOrWithFieldsUnknownShowsAsBefore() {
        Message untimed = message("{\"messageid\":1,\"username\":\"bob\",\"message\":\"hi\",\"mood\":\"new\"}");
        assertEquals("[1] bob: hi", plain.message(null, untimed).toString());
        assertEquals("new", untimed.json().get("mood").getAsString(), "--json keeps what it does not know");
    }

    @Test
    void anActionAMentionAndAMultiLineMessage() {
        assertEquals("[3] * bob waves", plain.message(null, message(
                "{\"messageid\":3,\"username\":\"bob\",\"message\":\"/me waves\"}")).toString());
        assertTrue(plain.mentionsSelf(text("bob", "hey @ALICE!")), "case-insensitive, punctuation after");
        assertFalse(plain.mentionsSelf(text("bob", "mail@alice.example")), "not inside a word");
        assertFalse(plain.mentionsSelf(text("bob", "@alicex")), "nor a longer name");
        assertFalse(plain.mentionsSelf(text("alice", "I am @alice")), "nor one's own");
        assertEquals("[1] bob: one\n         two", plain.message(null, text("bob", "one\ntwo")).toString());
        assertEquals("[1] bob^[: ^[]2;x^G", plain.message(null, text("bob\u001b", "\u001b]2;x\u0007")).toString());
    }

    @Test
    void presenceIsALineOfItsOwnAtTheTimeItCame() {
        assertEquals("14:03 #general bob joined", plain.presence("general", "bob", true).toString());
        assertEquals("14:03 #general bob^[ left", plain.presence("general", "bob\u001b", false).toString());
    }

    @Test
    void colourOnlyOnATerminalThatShowsItAndWhenNotDeclined() throws Exception {
        try (Terminal dumb = terminal("dumb"); Terminal xterm = terminal("xterm-256color")) {
            assertFalse(Style.forTerminal(dumb, false, null).hasColour(), "not a terminal that shows colour");
            assertTrue(Style.forTerminal(xterm, false, null).hasColour());
            assertTrue(Style.forTerminal(xterm, false, "").hasColour(), "NO_COLOR empty counts as unset");
            assertFalse(Style.forTerminal(xterm, false, "1").hasColour(), "NO_COLOR");
            assertFalse(Style.forTerminal(xterm, true, null).hasColour(), "--no-color");
        }
        assertFalse(text("bob", "hi").display().contains("\u001b"), "read and tail print no colour");
    }

    private static Message text(String username, String text) {
        return new Message(1, username, text, null, new com.google.gson.JsonObject());
    }

    private static Terminal terminal(String type) throws Exception {
        return TerminalBuilder.builder().system(false).type(type)
                .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).build();
    }
}
