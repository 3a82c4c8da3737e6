package chat.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class TerminalTextTest {
    private static final String NL = System.lineSeparator();

    @Test
    void plainTextIsPrintedAsItIs() {
        String text = "hi \"all\"\tnaïve café";
        assertSame(text, TerminalText.inline(text));
        assertEquals("👋 👨‍👩‍👧 ok", TerminalText.inline("👋 👨‍👩‍👧 ok"));
    }

    @Test
    void escapeSequencesBecomeVisibleAndInert() {
        String attack = "\u001b]2;PWNED-title\u0007\u001b[2J\u001b[H gone";
        assertEquals("^[]2;PWNED-title^G^[[2J^[[H gone", TerminalText.inline(attack));
        assertEquals("a^Mb^H^?^@", TerminalText.inline("a\rb\b\u007f\u0000"));
    }

    @Test
    void c1ControlsBidiControlsSeparatorsAndLoneSurrogatesAreEscaped() {
        assertEquals("\\u009b2J", TerminalText.inline("\u009b2J"));
        assertEquals("user\\u202egnp.exe", TerminalText.inline("user\u202egnp.exe"));
        assertEquals("a\\u2028b\\u2066", TerminalText.inline("a\u2028b\u2066"));
        assertEquals("x\\ud800y\\udc00", TerminalText.inline("x\ud800y\udc00"));
    }

    @Test
    void inlineShowsLineBreaksAndLinesIndentsThem() {
        assertEquals("one^Jtwo", TerminalText.inline("one\ntwo"));
        assertEquals("one" + NL + "    two" + NL + "    ^[[2J", TerminalText.lines("one\r\ntwo\n\u001b[2J", "    "));
    }
}
