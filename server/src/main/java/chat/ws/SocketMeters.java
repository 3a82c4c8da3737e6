package chat.ws;

import chat.metrics.Metrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;

import java.util.function.DoubleSupplier;

/**
 * The WebSocket's metrics: frames and bytes queued to sockets, sockets the server closed by reason, gap and reset
 * events, and (read when scraped) open sockets and their subscriptions. Every data point is resolved here, once:
 * a push to a socket costs two counter increments.
 */
public final class SocketMeters {
    private final Metrics metrics;
    final CounterDataPoint framesSent;
    final CounterDataPoint bytesSent;
    final CounterDataPoint closedSlow;
    final CounterDataPoint closedSilent;
    final CounterDataPoint closedSessionEnded;
    final CounterDataPoint closedTooBig;
    final CounterDataPoint closedShutdown;
    final CounterDataPoint gaps;
    final CounterDataPoint resets;

    public SocketMeters(Metrics metrics) {
        this.metrics = metrics;
        this.framesSent = metrics.counter("chat_ws_frames_sent_total",
                "Text frames queued to sockets: answers, messages, gap and reset events");
        this.bytesSent = metrics.counter("chat_ws_sent_bytes_total", "Bytes of the text frames queued to sockets");
        Metrics.Family<CounterDataPoint> closed = metrics.counter("chat_ws_closed_total",
                "Sockets the server closed, by reason", "reason");
        this.closedSlow = closed.labels("slow");
        this.closedSilent = closed.labels("silent");
        this.closedSessionEnded = closed.labels("session_ended");
        this.closedTooBig = closed.labels("frame_too_big");
        this.closedShutdown = closed.labels("shutdown");
        Metrics.Family<CounterDataPoint> events = metrics.counter("chat_ws_events_total",
                "Gap events (messages the window dropped before a subscriber had them) and reset events (a channel's "
                        + "history restarted) sent to sockets", "event");
        this.gaps = events.labels("gap");
        this.resets = events.labels("reset");
    }

    /** The gauges read when scraped, from the endpoint's own counts. */
    void gauges(DoubleSupplier openSockets, DoubleSupplier subscriptions) {
        metrics.gauge("chat_ws_open_sockets", "WebSockets open now", openSockets);
        metrics.gauge("chat_ws_subscriptions", "Channel subscriptions of the open WebSockets", subscriptions);
    }
}
