package chat.cli;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The server's "try again later": an HTTP answer's Retry-After header, or a WebSocket answer's "retry_after", and
 * what the client tells the user while it waits one out.
 */
final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * The wait a Retry-After header asks for: whole seconds (what the chat server sends), or an HTTP date (RFC 9110
     * allows it, and a proxy in front of the server may send one); null for a header that is absent or unreadable.
     */
    static Duration fromHeader(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration untilThen = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
                return untilThen.isNegative() ? Duration.ZERO : untilThen;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** "rate limited: this session has made calls too fast; try again in 2 s; retrying in 2 s", for stderr. */
    static String retryingNotice(String errorCode, String reason, Duration wait) {
        String why = ErrorCodes.RATE_LIMITED.equals(errorCode) ? "rate limited" : "server busy";
        return why + ": " + reason + "; retrying in " + wholeSeconds(wait) + " s";
    }

    /** Rounded up, as the server rounds Retry-After: "retrying in 0 s" would read as not waiting at all. */
    static long wholeSeconds(Duration wait) {
        return (wait.toMillis() + 999) / 1000;
    }
}
