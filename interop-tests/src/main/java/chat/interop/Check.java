package chat.interop;

/** The body of a case: talks to the server through the wire and throws {@link CaseFailed} when it finds a fault. */
@FunctionalInterface
public interface Check {
    void run(Wire wire) throws Exception;
}
