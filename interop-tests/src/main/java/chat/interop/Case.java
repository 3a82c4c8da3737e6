package chat.interop;

/**
 * One conformance case.
 *
 * @param id          the spec requirement it checks, e.g. {@code retrieve/3}, optionally with a suffix naming
 *                    the variant, e.g. {@code transport/2.malformed-json}; stable across releases
 * @param level       MUST or SHOULD, as the spec gives the requirement
 * @param requirement one line, quoted or condensed from the spec
 * @param check       what it does
 */
public record Case(String id, Level level, String requirement, Check check) {
    /**
     * Whether {@code --only} selects it: a section ({@code retrieve/}, or any prefix that is not a whole id), or one
     * requirement with its variants ({@code http/2} is http/2 and http/2.x, not http/22).
     */
    public boolean matches(String prefix) {
        if (!id.startsWith(prefix)) {
            return false;
        }
        if (id.length() == prefix.length() || prefix.endsWith("/") || prefix.endsWith(".")) {
            return true;
        }
        char next = id.charAt(prefix.length());
        boolean prefixEndsInANumber = Character.isDigit(prefix.charAt(prefix.length() - 1));
        return !(prefixEndsInANumber && Character.isDigit(next));
    }
}
