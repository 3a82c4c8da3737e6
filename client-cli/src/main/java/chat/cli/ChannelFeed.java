package chat.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Channels' messages as they come: how tail and join follow channels. Pushed over one WebSocket for all of them
 * ({@link PushFollower}, which reconnects and resumes each from the last id shown), or, from a server without /ws,
 * polled once a second ({@link ChannelFollower}, one per channel). Either way each message comes once, in id order
 * per channel, and messages the window dropped before they could be shown are announced as a gap.
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
    private final FeedListener listener;
    // The feed's one thread for timed work: reconnecting, or polling. Polls run only on it, so they need no lock.
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chat-feed");
        thread.setDaemon(true);
        return thread;
    });
    private final PushFollower push;
    private final CompletableFuture<End> ended = new CompletableFuture<>();
    // Where each channel is to start from: read by the timer's thread when it turns to polling.
    private final Map<String, Long> startsAfter = new LinkedHashMap<>(); // guarded by this
    // Only on the timer's thread; non-null once the server turns out to have no /ws.
    private Map<String, ChannelFollower> pollers;

    /** A feed of the channels {@link #follow}ed, for join; {@link #start()} starts it. */
    ChannelFeed(ChatClient client, long sesskey, FeedListener listener) {
        this.client = client;
        this.sesskey = sesskey;
        this.listener = listener;
        this.push = new PushFollower(socketListener -> client.openWebSocket(sesskey, socketListener), timer, listener);
    }

    /**
     * A feed of {@code channel} that begins with its newest {@code backlog} messages, as tail follows one;
     * {@link #start()} starts it. It ends when the server refuses to follow the channel.
     *
     * @param messages receives each message once, in id order
     * @param notices  receives what a person should know: gaps, reconnections, errors
     */
    static ChannelFeed fromNewest(ChatClient client, long sesskey, String channel, int backlog,
                                  Consumer<Message> messages, Consumer<String> notices) {
        ChannelFeed[] feed = new ChannelFeed[1]; // the listener needs the feed it is given to, to end it
        feed[0] = new ChannelFeed(client, sesskey, new FeedListener() {
            @Override
            public void message(String ignored, Message message) {
                messages.accept(message);
            }

            @Override
            public void notice(String text) {
                notices.accept(text);
            }

            @Override
            public void refused(String ignored, String reason, String errorCode) {
                notices.accept("error: " + reason);
                feed[0].ended.complete(End.CLOSED);
                feed[0].push.close();
            }
        });
        feed[0].follow(channel, backlog);
        return feed[0];
    }

    /**
     * Follows {@code channel} too, beginning with its newest {@code backlog} messages.
     *
     * @return the channel's newest id now: messages after it are new, those up to it the backlog
     * @throws CliException when the channel cannot be read (it does not exist, say): then nothing changes
     */
    long follow(String channel, int backlog) {
        long newest = client.lastMessage(sesskey, channel);
        long after = Math.max(0, newest - Math.max(0, backlog));
        synchronized (this) {
            startsAfter.put(channel, after);
        }
        push.follow(channel, after);
        onTimer(() -> {
            if (pollers != null) { // absent unless polling began before it was added: replaced, it would show again
                pollers.putIfAbsent(channel, new ChannelFollower(client, sesskey, channel, after));
            }
        });
        return newest;
    }

    /** Follows {@code channel} no more. */
    void unfollow(String channel) {
        synchronized (this) {
            startsAfter.remove(channel);
        }
        push.unfollow(channel);
        onTimer(() -> {
            if (pollers != null) {
                pollers.remove(channel);
            }
        });
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
        onTimer(this::poll); // outside the chain: the next scheduled poll still comes when it would
    }

    private void onTimer(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: nothing to do
        }
    }

    private void afterPush(PushFollower.Stop stop) {
        switch (stop) {
            case NO_WEBSOCKET -> {
                pollers = new LinkedHashMap<>();
                synchronized (this) {
                    startsAfter.forEach((channel, after) ->
                            pollers.put(channel, new ChannelFollower(client, sesskey, channel, after)));
                }
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

    /** Polls each channel once, passing on what it found; returns how long until the next poll should be. */
    private Duration poll() {
        Duration untilNext = POLL_INTERVAL;
        if (pollers == null) {
            return untilNext;
        }
        for (Map.Entry<String, ChannelFollower> entry : Map.copyOf(pollers).entrySet()) {
            if (ended.isDone()) {
                return POLL_INTERVAL;
            }
            Duration wait = pollOne(entry.getKey(), entry.getValue());
            untilNext = wait.compareTo(untilNext) > 0 ? wait : untilNext;
        }
        return untilNext;
    }

    private Duration pollOne(String channel, ChannelFollower poller) {
        try {
            for (ChannelFollower.Line line : poller.poll()) {
                if (line.message() != null) {
                    listener.message(channel, line.message());
                } else {
                    listener.notice(line.notice());
                }
            }
        } catch (CliException e) {
            if (ended.isDone()) {
                return POLL_INTERVAL; // closed in the middle of a call
            }
            if (ErrorCodes.INVALID_SESSION.equals(e.errorCode())) {
                ended.complete(End.SESSION_ENDED);
            } else if (ErrorCodes.CHANNEL_NOT_FOUND.equals(e.errorCode())) {
                pollers.remove(channel);
                synchronized (this) {
                    startsAfter.remove(channel);
                }
                listener.refused(channel, e.getMessage(), e.errorCode());
            } else if (e.retryAfter() != null) {
                // Polling sooner would only be refused again, and spend the calls the server is rationing.
                listener.notice(RetryAfter.retryingNotice(e.errorCode(), e.getMessage(), e.retryAfter()));
                return e.retryAfter();
            } else {
                listener.notice("error: " + e.getMessage()); // as over push, following goes on: the next poll may work
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
