package chat.ws;

import io.undertow.connector.ByteBufferPool;
import io.undertow.util.AttachmentKey;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import org.xnio.StreamConnection;

/**
 * Undertow's RFC 6455 handshake (no subprotocols, no extensions, so frames are sent as they are built), which also
 * puts a {@link FrameSink} under each new socket: the connection is in reach only here.
 */
final class SocketHandshake extends Hybi13Handshake {
    static final AttachmentKey<FrameSink> SINK = AttachmentKey.create(FrameSink.class);

    @Override
    public WebSocketChannel createChannel(WebSocketHttpExchange exchange, StreamConnection connection, ByteBufferPool pool) {
        WebSocketChannel channel = super.createChannel(exchange, connection, pool);
        exchange.putAttachment(SINK, FrameSink.install(connection));
        return channel;
    }
}
