package chat.core;

import chat.error.ChatError;

/**
 * Checks on the text fields of the protocol. Lengths count Unicode characters (code points), so an emoji is
 * one character whatever its UTF-16 or UTF-8 size.
 */
final class TextRules {
    static final int USERNAME_MAX = 32;
    static final int CHANNEL_MAX = 64;
    static final int PASSWORD_MAX = 256;
    static final int IDEMPOTENCY_KEY_MAX = 64;

    private TextRules() {
    }

    /** A name: 1 to max characters, no control characters. */
    static void requireName(String field, String value, int max) {
        requireText(field, value, max);
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            throw ChatError.FIELD_INVALID.exception(field + " must not contain control characters");
        }
    }

    /**
     * A post's idempotency key: 1 to 64 visible ASCII characters (! to ~) but for the double quote and the backslash,
     * so that the header's two forms, bare and as a structured-field string in quotes, name the same key.
     */
    static void requireIdempotencyKey(String key) {
        if (key.isEmpty() || key.length() > IDEMPOTENCY_KEY_MAX) {
            throw ChatError.FIELD_INVALID.exception("idempotency key must be 1 to " + IDEMPOTENCY_KEY_MAX
                    + " characters, got " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '!' || c > '~' || c == '"' || c == '\\') {
                throw ChatError.FIELD_INVALID.exception("idempotency key must be visible ASCII characters (! to ~) "
                        + "other than \" and \\, such as a UUID; character " + (i + 1) + " is not");
            }
        }
    }

    /** Any text of 1 to max characters that is well-formed Unicode. */
    static void requireText(String field, String value, int max) {
        if (value.isEmpty()) {
            throw ChatError.FIELD_INVALID.exception(field + " must not be empty");
        }
        // Cheap bound first: a string of n UTF-16 units has at most n code points.
        if (value.length() > max && value.codePointCount(0, value.length()) > max) {
            throw ChatError.FIELD_INVALID.exception(field + " is longer than " + max + " characters");
        }
        if (hasLoneSurrogate(value)) {
            throw ChatError.FIELD_INVALID.exception(
                    field + " contains an unpaired surrogate (a \\uD800-\\uDFFF escape without its partner)");
        }
    }

    private static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
