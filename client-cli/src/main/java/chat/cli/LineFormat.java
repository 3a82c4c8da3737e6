package chat.cli;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The one place a line of chat is laid out: {@code 14:03 #general [42] alice: hi}, in the clock's time zone (with
 * the date, {@code 2026-11-30 14:03}, when not today; no time from a server that sends none), the channel only
 * where several are followed, and {@code * alice waves} for an action. Every string from the server passes through
 * {@link TerminalText}, so a message, a name or a channel can neither move the cursor nor set a title; a message's
 * further lines are indented under its first, so a pasted multi-line message reads as one.
 *
 * @param clock the time zone and "today" (tests pass a fixed one)
 * @param self  the user's own name, highlighted and mentioned as {@code @self}; null for none (read, tail)
 */
record LineFormat(Clock clock, Style style, String self) {
    /** Made on first use: building formatters costs a one-shot command's start-up even when no message has a time. */
    private static final class Formats {
        static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm");
        static final DateTimeFormatter OTHER_DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    }

    /** The message's line; {@code channel} null to leave it out (read and tail follow one). */
    AttributedString message(String channel, Message message) {
        AttributedStringBuilder line = new AttributedStringBuilder();
        if (message.time() != null) {
            line.styled(style.dim(), time(message.time())).append(' ');
        }
        if (channel != null) {
            line.append(channelName(channel)).append(' ');
        }
        line.styled(style.dim(), "[" + message.id() + "]").append(' ');
        String text = message.text();
        if (message.isAction()) {
            line.append("* ");
            name(line, message.username());
            line.append(' ');
            text = text.substring(Message.ACTION_PREFIX.length());
        } else {
            name(line, message.username());
            line.append(": ");
        }
        String indent = " ".repeat(Math.min(line.length(), 40)); // further lines start under the first's text
        line.styled(mentionsSelf(message) ? style.mention() : AttributedStyle.DEFAULT, TerminalText.lines(text, indent));
        return line.toAttributedString();
    }

    /** {@code 14:05 #general bob joined}, dim: presence matters less than what people say. */
    AttributedString presence(String channel, String username, boolean joined) {
        String line = time(clock.instant()) + " " + channelName(channel) + " " + TerminalText.inline(username)
                + (joined ? " joined" : " left");
        return new AttributedString(line, style.dim());
    }

    /** True when the message names the user as {@code @self}, in any case, as a whole word; never their own. */
    boolean mentionsSelf(Message message) {
        if (self == null || message.username().equals(self)) {
            return false;
        }
        return Pattern.compile("(?<![\\p{L}\\p{N}_])@" + Pattern.quote(self) + "(?![\\p{L}\\p{N}_])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(message.text()).find();
    }

    static String channelName(String channel) {
        return "#" + TerminalText.inline(channel);
    }

    private void name(AttributedStringBuilder line, String username) {
        line.styled(username.equals(self) ? style.self() : style.user(username), TerminalText.inline(username));
    }

    private String time(Instant time) {
        ZonedDateTime local = time.atZone(clock.getZone());
        return (local.toLocalDate().equals(LocalDate.now(clock)) ? Formats.TODAY : Formats.OTHER_DAY).format(local);
    }
}
