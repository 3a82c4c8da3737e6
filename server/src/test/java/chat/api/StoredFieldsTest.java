package chat.api;

import chat.store.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** However a message's fields are kept, what is read back for the wire is exactly their JSON. */
class StoredFieldsTest {

    static Stream<String> texts() {
        return Stream.of("plain", "a few\nnewlines\tand a tab", "\u0001".repeat(4096), "\n".repeat(4096),
                ("\u0000\u001f\"\\😀\u007f\u2028 ").repeat(500), "😀" + "\u0007".repeat(100) + "漢字");
    }

    @ParameterizedTest
    @MethodSource("texts")
    void fieldsReadBackAreTheJsonOfTheMessage(String text) {
        StringBuilder json = new StringBuilder("\"username\":");
        Json.appendString(json, "ü名😀");
        json.append(",\"message\":");
        Json.appendString(json, text);
        byte[] expected = json.append('}').toString().getBytes(StandardCharsets.UTF_8);

        byte[] stored = Json.messageFields("ü名😀", text);
        assertEquals(new String(expected, StandardCharsets.UTF_8),
                new String(Json.fields(new Message(1, Message.NO_TIME, stored)), StandardCharsets.UTF_8));
        // Never more than an eighth or 64 bytes over the text itself: no 6 bytes per control character.
        int raw = ("\"username\":\"ü名😀\",\"message\":\"\"}" + text).getBytes(StandardCharsets.UTF_8).length;
        assertTrue(stored.length <= raw + Math.max(64 + 64, raw / 8 + 2 * text.chars().filter(c -> c == '"' || c == '\\').count()),
                "kept " + stored.length + " bytes for " + raw);
    }

    @ParameterizedTest
    @MethodSource("texts")
    void ordinaryTextIsKeptAsItsWireBytes(String text) {
        byte[] stored = Json.messageFields("alice", text);
        boolean cheapToEscape = text.chars().filter(c -> c < 0x20).count() <= 12;
        assertEquals(cheapToEscape, Json.fields(new Message(1, Message.NO_TIME, stored)) == stored,
                "read without a copy exactly when escaping costs little");
    }
}
