package chat.cli;

/**
 * Text from the server made safe to print: every character a terminal would act on rather than show is replaced
 * by a visible, inert spelling of it. The server keeps control characters in messages by design (the spec's
 * post/1), and names from another server may hold them too, so every string that came over the wire passes
 * through here before it reaches a terminal; {@code --json} output does not, as the JSON encoder escapes it.
 *
 * <p>What is replaced, and how it shows:
 * <ul>
 *   <li>C0 controls and DEL in caret notation, as {@code cat -v} shows them: ESC as {@code ^[}, BEL as {@code ^G},
 *       CR as {@code ^M}, DEL as {@code ^?}. A tab stays a tab; it moves the cursor and nothing else.</li>
 *   <li>C1 controls (U+0080 to U+009F: a lone U+009B starts a control sequence in some terminals), the bidi
 *       controls that reorder what follows (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069: a line
 *       could otherwise show a name or a link other than the one it holds), the line and paragraph separators
 *       (U+2028, U+2029) and unpaired surrogates as {@code \}{@code uXXXX}.</li>
 *   <li>Line breaks: {@link #inline} shows them as {@code ^J}, for a name or a reason that must stay on its line;
 *       {@link #lines} keeps them as breaks and starts each further line with an indent, so a pasted multi-line
 *       message reads as one message, not as several.</li>
 * </ul>
 * Everything else, emoji and their joiners included, is printed as it is.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** The text on one line: line breaks too are made visible. */
    public static String inline(String text) {
        if (isPlain(text)) {
            return text;
        }
        StringBuilder shown = new StringBuilder(text.length() + 16);
        appendInert(shown, text, 0, text.length());
        return shown.toString();
    }

    /**
     * The text with its line breaks kept ({@code \n}, {@code \r\n}), each further line starting with
     * {@code indent}; any other control is made visible as {@link #inline} does.
     */
    public static String lines(String text, String indent) {
        if (isPlain(text)) {
            return text;
        }
        StringBuilder shown = new StringBuilder(text.length() + 16);
        int start = 0;
        while (true) {
            int newline = text.indexOf('\n', start);
            if (newline < 0) {
                appendInert(shown, text, start, text.length());
                return shown.toString();
            }
            int end = newline > start && text.charAt(newline - 1) == '\r' ? newline - 1 : newline;
            appendInert(shown, text, start, end);
            shown.append(System.lineSeparator()).append(indent);
            start = newline + 1;
        }
    }

    /** True when no character of the text needs replacing: the common case costs one scan and no copy. */
    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t') {
                continue;
            }
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || isReordering(c) || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void appendInert(StringBuilder shown, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '\t') {
                shown.append(c);
            } else if (c < 0x20) {
                shown.append('^').append((char) (c + 0x40));
            } else if (c == 0x7f) {
                shown.append("^?");
            } else if (c <= 0x9f && c >= 0x80 || isReordering(c)) {
                appendEscape(shown, c);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                shown.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                appendEscape(shown, c);
            } else {
                shown.append(c);
            }
        }
    }

    /** Bidi controls and the Unicode line and paragraph separators. */
    private static boolean isReordering(char c) {
        return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
    }

    private static void appendEscape(StringBuilder shown, char c) {
        shown.append("\\u").append(String.format("%04x", (int) c));
    }
}
