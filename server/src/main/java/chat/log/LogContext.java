package chat.log;

import org.slf4j.MDC;

/**
 * What a log line written during a request says of it: the request's id and its call. Kept in slf4j's MDC, which is
 * per thread, so it is set where the call runs (the IO thread or a pool's) and cleared when it is done there.
 */
public final class LogContext {
    /** The field names, the same in text and JSON lines, and in the access log. */
    public static final String REQUEST_ID = "request_id";
    public static final String CALL = "call";

    private LogContext() {
    }

    /** Until {@link #leave()} on this thread, lines are of this request (either may be null: not known). */
    public static void enter(String requestId, String call) {
        if (requestId != null) {
            MDC.put(REQUEST_ID, requestId);
        }
        if (call != null) {
            MDC.put(CALL, call);
        }
    }

    public static void leave() {
        MDC.remove(REQUEST_ID);
        MDC.remove(CALL);
    }
}
