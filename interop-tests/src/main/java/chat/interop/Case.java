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
    public boolean matches(String prefix) {
        return id.startsWith(prefix);
    }
}
