package chat.ws;

import org.xnio.XnioIoThread;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes the frames queued on an IO thread after the tasks already waiting on that thread, all together: each
 * socket's frames in one system call.
 *
 * <p>An idle IO thread runs the flush right after the task that queued the frames, so nothing waits. A busy one,
 * with more fan-outs already queued behind the current one, writes each socket once for all of them. So the
 * number of writes falls exactly when the machine is short of time, instead of the backlog growing: at 1,000
 * subscribers and 100 posts a second, each write costs about 7.5 us in this machine's kernel, and writing every
 * frame on its own filled both cores and made the tail latency explode (BENCHMARKS.md, issue 5).
 *
 * <p>Each IO thread has its own list of waiting outboxes and at most one pending flush, touched only on that thread.
 */
final class WriteCoalescing {
    private final Map<XnioIoThread, PendingFlush> pending = new ConcurrentHashMap<>();

    /** On the outbox's IO thread, after a frame was queued to it. */
    void queued(Outbox outbox, XnioIoThread thread) {
        if (!outbox.isWaitingForFlush()) {
            pending.computeIfAbsent(thread, PendingFlush::new).add(outbox);
        }
    }

    /** One IO thread's outboxes with frames queued, and whether their flush is scheduled. */
    private static final class PendingFlush implements Runnable {
        private final XnioIoThread thread;
        private List<Outbox> waiting = new ArrayList<>();
        private boolean scheduled;

        PendingFlush(XnioIoThread thread) {
            this.thread = thread;
        }

        void add(Outbox outbox) {
            outbox.waitForFlush(true);
            waiting.add(outbox);
            if (!scheduled) {
                scheduled = true;
                thread.execute(this); // after the tasks queued already: they may add frames for these sockets
            }
        }

        @Override
        public void run() {
            scheduled = false;
            List<Outbox> due = waiting;
            waiting = new ArrayList<>();
            for (Outbox outbox : due) {
                outbox.waitForFlush(false);
                outbox.flush();
            }
        }
    }
}
