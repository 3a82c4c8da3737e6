package chat.interop;

/** A case could not be judged: something it relies on is absent (the message says what). */
public final class CaseSkipped extends RuntimeException {
    public CaseSkipped(String message) {
        super(message, null, false, false);
    }
}
