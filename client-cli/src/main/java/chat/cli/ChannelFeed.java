package chat.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A channel's messages as they come: how tail and join follow a channel. Pushed over the server's WebSocket
 * ({@link PushFollower}, which reconnects and resumes from the last id shown), or, from a server without /ws,
 * polled once a second ({@link ChannelFollower}). Either way each message comes once, in id order, and messages the
 * window dropped before they could be shown are announced as a gap.
 *
 * <p>A throttled poll is not a failure: the client waits out short Retry-Afters itself, and when it gives up (too
 * long a wait, or too many) the next poll comes when the server said to try again, instead of in a second.
 */
final class ChannelFeed implements AutoCloseable {
    /** Why a feed ended. */
    enum End { CLOSED, SESSION_ENDED }

    /** Without a WebSocket the protocol is polled; once a second keeps an idle follower's load negligible. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final ChatClient client;
    private final long sesskey;
    private final String channel;
    private final long after;
    private final Consumer<Message> messages;
    private final Consumer<String> notices;
    // The feed's one thread for timed work: reconnecting, or polling. Polls run only on it, so they need no lock.
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chat-feed");
        thread.setDaemon(true);
        return thread;
    });
    private final PushFollower push;
    private final CompletableFuture<End> ended = new CompletableFuture<>();
    private ChannelFollower poller; // only on the timer's thread; set once the server turns out to have no /ws

    private ChannelFeed(ChatClient client, long sesskey, String channel, long after, Consumer<Message> messages,
                        Consumer<String> notices) {
        this.client = client;
        this.sesskey = sesskey;
        this.channel = channel;
        this.after = after;
        this.messages = messages;
        this.notices = notices;
        this.push = new PushFollower(listener -> client.openWebSocket(sesskey, listener), timer, channel, after,
                messages, notices);
    }

    /**
     * A feed of {@code channel} that begins with its newest {@code backlog} messages; {@link #start()} starts it.
     *
     * @param messages receives each message once, in id order
     * @param notices  receives what a person should know: gaps, reconnections, errors
     */
    static ChannelFeed fromNewest(ChatClient client, long sesskey, String channel, int backlog,
                                  Consumer<Message> messages, Consumer<String> notices) {
        long after = Math.max(0, client.lastMessage(sesskey, channel) - Math.max(0, backlog));
        return new ChannelFeed(client, sesskey, channel, after, messages, notices);
    }

    void start() {
        // On the timer, not on whichever thread stopped the push: no lock of PushFollower's is held meanwhile.
        push.stopped().thenAcceptAsync(this::afterPush, timer);
        push.start();
    }

    /** Blocks until the feed ends: closed, or the session ended. */
    End await() throws InterruptedException {
        try {
            return ended.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a feed ends with a reason, never a failure", e);
        }
    }

    void whenEnded(Consumer<End> action) {
        ended.thenAccept(action);
    }

    /** When polling, polls now, so a message the user just posted shows at once; pushed ones come by themselves. */
    void catchUp() {
        try {
            timer.execute(this::poll); // outside the chain: the next scheduled poll still comes when it would
        } catch (RejectedExecutionException e) {
            // closed: nothing to catch up on
        }
    }

    private void afterPush(PushFollower.Stop stop) {
        switch (stop) {
            case NO_WEBSOCKET -> {
                poller = new ChannelFollower(client, sesskey, channel, after);
                pollAndScheduleTheNext();
            }
            case SESSION_ENDED -> ended.complete(End.SESSION_ENDED);
            case CLOSED -> ended.complete(End.CLOSED);
        }
    }

    /** One link of the polling chain: each poll schedules the next, so a throttled one can put it off. */
    private void pollAndScheduleTheNext() {
        Duration untilNext = poll();
        if (ended.isDone()) {
            return;
        }
        try {
            timer.schedule(this::pollAndScheduleTheNext, untilNext.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: no more polls
        }
    }

    /** Polls once, passing on what it found; returns how long until the next poll should be. */
    private Duration poll() {
        if (poller == null || ended.isDone()) {
            return POLL_INTERVAL;
        }
        try {
            for (ChannelFollower.Line line : poller.poll()) {
                if (line.message() != null) {
                    messages.accept(line.message());
                } else {
                    notices.accept(line.notice());
                }
            }
        } catch (CliException e) {
            if (ended.isDone()) {
                return POLL_INTERVAL; // closed in the middle of a call
            }
            if ("INVALID_SESSION".equals(e.errorCode())) {
                ended.complete(End.SESSION_ENDED);
            } else if (e.retryAfter() != null) {
                // Polling sooner would only be refused again, and spend the calls the server is rationing.
                notices.accept(RetryAfter.retryingNotice(e.errorCode(), e.getMessage(), e.retryAfter()));
                return e.retryAfter();
            } else {
                notices.accept("error: " + e.getMessage()); // as over push, following goes on: the next poll may work
            }
        }
        return POLL_INTERVAL;
    }

    @Override
    public void close() {
        ended.complete(End.CLOSED); // first, so a poll interrupted below reports nothing
        push.close();
        timer.shutdownNow();
    }
}
