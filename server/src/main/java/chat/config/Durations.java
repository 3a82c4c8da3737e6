package chat.config;

import java.time.Duration;

/** Durations as people write them: 500ms, 10s, 30m, 2h, 1d, or ISO-8601 (PT30M). */
final class Durations {
    private Durations() {
    }

    /** Throws IllegalArgumentException, with the forms it takes, for any other text. */
    static Duration parse(String text) {
        String value = text.trim().toLowerCase();
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase());
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            switch (value.charAt(value.length() - 1)) {
                case 's': return Duration.ofSeconds(amount);
                case 'm': return Duration.ofMinutes(amount);
                case 'h': return Duration.ofHours(amount);
                case 'd': return Duration.ofDays(amount);
                default: break;
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("not a duration: '" + text + "' (try 500ms, 10s, 30m, 2h)");
    }

    /** The shortest of the forms above that says it exactly: 1s, 250ms, 5m. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
