package chat.server;

import chat.error.ChatError;
import chat.log.LogContext;
import chat.log.LogSetup;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line per HTTP request once its answer is written (--access-log): time, client address (the forwarded one
 * behind a trusted proxy), method, path, status, error code, bytes sent, duration and request id. Written by the
 * access log's own thread (LogSetup), so a request waits for no disk. The query string is left out: a
 * WebSocket's {@code /ws?sesskey=} would put a session key in the log.
 */
final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger(LogSetup.ACCESS_LOGGER);
    /** The error a request failed with, for its line; Failures sets it. */
    static final AttachmentKey<ChatError> ERROR = AttachmentKey.create(ChatError.class);

    private final RequestClients clients;

    AccessLog(RequestClients clients) {
        this.clients = clients;
    }

    void follow(HttpServerExchange exchange, String requestId) {
        long started = System.nanoTime();
        exchange.addExchangeCompleteListener((done, next) -> {
            try {
                written(done, requestId, started);
            } finally {
                next.proceed();
            }
        });
    }

    private void written(HttpServerExchange exchange, String requestId, long started) {
        ChatError error = exchange.getAttachment(ERROR);
        double millis = (System.nanoTime() - started) / 10_000 / 100.0;
        LogContext.enter(requestId, null);
        try {
            log.atInfo()
                    .addKeyValue("client", clients.addressOf(exchange))
                    .addKeyValue("method", exchange.getRequestMethod().toString())
                    .addKeyValue("path", exchange.getRequestPath())
                    .addKeyValue("status", exchange.getStatusCode())
                    .addKeyValue("error", error == null ? null : error.name())
                    .addKeyValue("bytes", exchange.getResponseBytesSent())
                    .addKeyValue("duration_ms", millis)
                    .log("{} {} {}", exchange.getRequestMethod(), exchange.getRequestPath(), exchange.getStatusCode());
        } finally {
            LogContext.leave();
        }
    }
}
