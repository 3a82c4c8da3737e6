package chat.ws;

import java.nio.ByteBuffer;

/**
 * One complete WebSocket text frame as it goes on the wire (RFC 6455 section 5.2): the header, then the payload.
 * A server's frames are never masked and this server negotiates no extension, so a frame's bytes are the same
 * for every socket: a message fanned out to a thousand subscribers is framed once and its bytes are shared.
 *
 * <p>Public only as the type of push's events for sockets ({@code ChannelSubscribers<Frame>}); nothing outside
 * this package makes or reads one.
 */
public final class Frame {
    private static final int FIN_TEXT = 0x81; // FIN set, opcode 1 (text)

    private final ByteBuffer wire; // position 0, never moved: each write works on a duplicate

    private Frame(ByteBuffer wire) {
        this.wire = wire;
    }

    /** A frame for one socket. */
    static Frame text(byte[] payload) {
        return new Frame(encode(payload, ByteBuffer.allocate(headerLength(payload.length) + payload.length)));
    }

    /**
     * A frame for many sockets, in memory outside the heap: the kernel reads it in place, where a heap buffer
     * would be copied once per socket on every write.
     */
    static Frame shared(byte[] payload) {
        return new Frame(encode(payload, ByteBuffer.allocateDirect(headerLength(payload.length) + payload.length)));
    }

    /** The whole frame, header included, in bytes. */
    int length() {
        return wire.limit();
    }

    /** The frame's bytes, for one socket to write: a view of their own position over the shared bytes. */
    ByteBuffer forWriting() {
        return wire.duplicate();
    }

    private static int headerLength(int payloadLength) {
        return payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    private static ByteBuffer encode(byte[] payload, ByteBuffer frame) {
        frame.put((byte) FIN_TEXT);
        if (payload.length < 126) {
            frame.put((byte) payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.put((byte) 126).putShort((short) payload.length);
        } else {
            frame.put((byte) 127).putLong(payload.length);
        }
        return frame.put(payload).flip();
    }
}
