package chat.ws;

import chat.api.RequestFrame;
import chat.error.ChatError;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;

import java.io.IOException;

/**
 * One open WebSocket, as Undertow hands it to us: what arrives on it (text frames to {@link SocketCalls}; pings,
 * pongs and closes, which only say the client is alive), what it sends ({@link Outbox}) and its subscriptions.
 */
final class SocketConnection extends AbstractReceiveListener {
    private final Outbox outbox;
    private final int maxFrameBytes;
    private final SocketCalls calls;
    private final SocketSubscriptions subscriptions;
    private volatile long lastHeardMillis = System.currentTimeMillis();
    private volatile long lastPingMillis = System.currentTimeMillis();

    SocketConnection(Outbox outbox, int maxFrameBytes, SocketCalls calls, SocketSubscriptions subscriptions) {
        this.outbox = outbox;
        this.maxFrameBytes = maxFrameBytes;
        this.calls = calls;
        this.subscriptions = subscriptions;
    }

    Outbox outbox() {
        return outbox;
    }

    long lastHeardMillis() {
        return lastHeardMillis;
    }

    long lastPingMillis() {
        return lastPingMillis;
    }

    void pinged(long now) {
        lastPingMillis = now;
    }

    /** How many channels it is subscribed to now. */
    int subscriptionCount() {
        return subscriptions.count();
    }

    /** When the socket has closed: its subscriptions end, and what waited to be sent is let go. */
    void closed() {
        subscriptions.endAll();
        outbox.closed();
    }

    /** Reads each text message through {@link BoundedTextReader}, which keeps the frame limit on every read. */
    @Override
    protected void onText(WebSocketChannel channel, StreamSourceFrameChannel message) {
        BoundedTextReader.read(message, maxFrameBytes,
                bytes -> {
                    heard();
                    calls.handle(bytes);
                },
                () -> outbox.close(CloseCodes.MESSAGE_TOO_BIG, "frame larger than " + maxFrameBytes + " bytes",
                        outbox.meters().closedTooBig));
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return maxFrameBytes;
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        heard();
        message.getData().free();
        calls.answer(RequestFrame.NO_ID, ChatError.MALFORMED_JSON.exception("frames are JSON text, not binary"));
    }

    @Override
    protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        heard();
        message.getData().free();
    }

    @Override
    protected void onFullPingMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        heard();
        super.onFullPingMessage(channel, message); // answers with a pong
    }

    @Override
    protected void onFullCloseMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        heard();
        super.onFullCloseMessage(channel, message); // answers with a close frame
    }

    private void heard() {
        lastHeardMillis = System.currentTimeMillis();
    }
}
