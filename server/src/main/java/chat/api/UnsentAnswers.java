package chat.api;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The bytes of answers handed to a transport but not yet written to their sockets, summed over every connection
 * (HTTP and WebSocket), and the bound on them ({@code --max-unsent}). Without it, clients that ask for big answers
 * and never read make the server hold each answer for as long as the connection lives: 400 such clients grew the
 * heap by 1.6 GB (issue 13).
 *
 * <p>What is counted: the whole length of each answer, from when it is held to when it has been written (or its
 * connection has gone). An answer shared by many connections (one cached encoding of a full window) is held by
 * each of them but counted once, for as long as any of them holds it: it is in memory once.
 *
 * <p>Small answers cost nothing here unless they stall; a large one ({@link #LARGE} bytes or more) asks for room
 * before it is written, and is refused when there is none ({@link #tryHold}). Only those answers take the lock,
 * and each costs more to encode and write than the lock does.
 */
public final class UnsentAnswers {
    /**
     * Answers from this size on ask for room first. Below it, an answer nearly always goes whole into the socket's
     * send buffer in the first write, and one that does not is counted once it stalls ({@link #hold}): it may carry
     * the total past the bound by its own size.
     */
    public static final int LARGE = 64 * 1024;

    private final long maxBytes;
    private final Map<Object, Holders> held = new IdentityHashMap<>(); // guarded by this
    private long bytes; // guarded by this

    private static final class Holders {
        final long length;
        int count;

        Holders(long length) {
            this.length = length;
        }
    }

    /** One connection's hold on one answer; {@link #release} it once the answer is written or cannot be. */
    public final class Hold {
        private final Object answer;
        private boolean released; // guarded by the UnsentAnswers

        private Hold(Object answer) {
            this.answer = answer;
        }

        /** The answer is written, or its connection gone; a second call does nothing. */
        public void release() {
            synchronized (UnsentAnswers.this) {
                if (released) {
                    return;
                }
                released = true;
                Holders holders = held.get(answer);
                if (--holders.count == 0) {
                    held.remove(answer);
                    bytes -= holders.length;
                }
            }
        }
    }

    public UnsentAnswers(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Holds this answer (the same object for the same bytes: a shared one counts once) if the bound has room for
     * it, or already counts it; null when it has not, and the answer is to be refused.
     */
    public synchronized Hold tryHold(Object answer, long length) {
        if (!held.containsKey(answer) && bytes + length > maxBytes) {
            return null;
        }
        return hold(answer, length);
    }

    /** Holds this answer whatever the bound: a small answer that has stalled is already handed over. */
    public synchronized Hold hold(Object answer, long length) {
        Holders holders = held.get(answer);
        if (holders == null) {
            holders = new Holders(length);
            held.put(answer, holders);
            bytes += length;
        }
        holders.count++;
        return new Hold(answer);
    }

    /** The bytes held now. */
    public synchronized long bytes() {
        return bytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
