package chat.interop;

/** How binding a requirement is (spec/protocol.md, introduction). */
public enum Level {
    /** The protocol itself: a server that fails one does not speak it. */
    MUST,
    /** This project's additions: a failure is a warning unless the run is strict. */
    SHOULD
}
