package chat.interop;

/** A case found the server breaking its requirement; the message says how. */
public final class CaseFailed extends RuntimeException {
    public CaseFailed(String message) {
        super(message, null, false, false);
    }
}
