package chat.push;

import chat.error.ChatError;
import chat.error.ChatException;
import chat.store.Epochs;
import chat.store.Message;
import chat.store.UncheckedReads;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Who listens to which channel, and the fan-out of each new message to them. A message's event is made once
 * ({@link EventFormat#sharedMessage}), however many subscribers receive it.
 *
 * <p>Each subscriber (a socket) belongs to one IO thread, and a write from any other thread costs a hand-off and a wake-up. So a
 * message is handed to each IO thread once, as one task that writes to all of that thread's subscribers. The
 * subscribers are kept grouped by IO thread as they subscribe, so a post does not regroup a thousand of them. The
 * poster is not held up, and order needs no care here: each subscription sequences by id.
 *
 * <p>A store that blocks (Redis) must not be read on an IO thread, and a subscription reads it to fill a hole. So
 * with such a store, messages are offered on one delivery thread of their own instead.
 *
 * @param <E> what an event is to the subscribers' transport
 */
public final class ChannelSubscribers<E> {
    private static final Logger log = LoggerFactory.getLogger(ChannelSubscribers.class);
    /** The longest a catch-up waits for the delivery threads; past it, it is tried again (a busy thread, not a loss). */
    private static final long CATCH_UP_WAIT_SECONDS = 30;

    private final UncheckedReads store;
    private final EventFormat<E> format;
    private final Function<Subscriber<E>, Executor> deliveryThread;
    private final ConcurrentHashMap<String, Map<Executor, Set<Subscription<E>>>> byChannel = new ConcurrentHashMap<>();
    /** For the channels that have had subscribers here (bounded as channels are). */
    private final ConcurrentHashMap<String, SeenHistory> seen = new ConcurrentHashMap<>();

    private ChannelSubscribers(UncheckedReads store, EventFormat<E> format,
                               Function<Subscriber<E>, Executor> deliveryThread) {
        this.store = store;
        this.format = format;
        this.deliveryThread = deliveryThread;
    }

    /** Offers each message on each subscriber's own thread: for a store in memory. */
    public static <E> ChannelSubscribers<E> onSubscriberThreads(UncheckedReads store, EventFormat<E> format) {
        return new ChannelSubscribers<>(store, format, Subscriber::thread);
    }

    /** Offers each message on the given executor: for a store that blocks. */
    public static <E> ChannelSubscribers<E> on(Executor delivery, UncheckedReads store, EventFormat<E> format) {
        return new ChannelSubscribers<>(store, format, subscriber -> delivery);
    }

    /** How a subscribe call is answered, given the kept window (0 and 0 for an empty channel) and its history's epoch. */
    @FunctionalInterface
    public interface WindowAnswer<E> {
        E answer(long first, long last, String epoch);
    }

    /**
     * What this replica has seen of a channel's history: its epoch and the newest id delivered or announced in it.
     * A newest id in the store below that one means the store lost the tail (a Redis restarted without its last
     * writes): the history is another one from then on, and its subscribers are told.
     *
     * <p>Only ids seen before the store was read count: notifications keep arriving while it is read, and an id
     * announced meanwhile is newer than the read, not a loss. So a check takes a {@link #snapshot()} first.
     */
    private static final class SeenHistory {
        private String epoch;
        private long newest;
        private long startedOver; // how many losses this replica has noticed, so a snapshot from before one is stale

        SeenHistory(String epoch) {
            this.epoch = epoch;
        }

        record Seen(long newest, long startedOver) {
        }

        synchronized Seen snapshot() {
            return new Seen(newest, startedOver);
        }

        synchronized void saw(long id) {
            newest = Math.max(newest, id);
        }
    }

    /**
     * Subscribes: registers, hands the subscription to {@code registered}, sends the answer (built from the kept
     * window), then the kept messages after {@code after}, preceded by a gap event if some between were dropped.
     * New messages posted meanwhile wait for the subscription's lock, so they follow in order and none is lost.
     * Throws CHANNEL_NOT_FOUND, or the store's failure, always before the answer: a call gets one answer.
     *
     * <p>The caller records the subscription in {@code registered}, not once this returns: a client may send its
     * next call (an unsubscribe) as soon as it reads the answer, and with a store that blocks that call runs on
     * another thread, which must find the subscription.
     */
    public void subscribe(String channel, long after, String epoch, Subscriber<E> subscriber,
                          Consumer<Subscription<E>> registered, WindowAnswer<E> answer) {
        subscribe(channel, after, epoch, null, subscriber, registered, answer);
    }

    /** As above, for {@code username}'s subscriber: sent others' joins and leaves (presence), not the user's own. */
    public void subscribe(String channel, long after, String epoch, String username, Subscriber<E> subscriber,
                          Consumer<Subscription<E>> registered, WindowAnswer<E> answer) {
        String stored = store.epoch(channel);
        SeenHistory history = seen.computeIfAbsent(channel, name -> new SeenHistory(stored));
        SeenHistory.Seen seenBefore = history.snapshot(); // before the newest id is read
        String current = stored;
        Subscription<E> subscription = new Subscription<>(channel, after, epoch == null ? current : epoch, store,
                format, subscriber, deliveryThread.apply(subscriber), username);
        synchronized (subscription) {
            List<Message> kept = store.range(channel, 1, Long.MAX_VALUE);
            byChannel.computeIfAbsent(channel, name -> new ConcurrentHashMap<>())
                    .computeIfAbsent(subscription.deliveryThread(), thread -> ConcurrentHashMap.newKeySet())
                    .add(subscription);
            long last = kept.isEmpty() ? 0 : kept.get(kept.size() - 1).id();
            List<Message> backlog = kept;
            long newest;
            try {
                // What was posted between the range and the registration was notified to nobody: read it too, all
                // before the answer, so that a store failing now is the call's one answer and no backlog is lost.
                newest = store.lastMessageId(channel);
                if (newest > last) {
                    backlog = new ArrayList<>(kept);
                    backlog.addAll(store.range(channel, last + 1, newest));
                }
            } catch (RuntimeException storeFailed) {
                unsubscribe(subscription);
                throw storeFailed;
            }
            long upTo = Math.max(last, newest);
            try {
                current = noticeLoss(channel, history, seenBefore, current, upTo);
            } catch (RuntimeException storeFailed) {
                unsubscribe(subscription);
                throw storeFailed;
            }
            registered.accept(subscription);
            subscriber.send(answer.answer(kept.isEmpty() ? 0 : kept.get(0).id(), last, current));
            subscription.restart(current, upTo); // a position not in this history: said before any message
            subscription.deliver(backlog, upTo);
        }
    }

    /**
     * The channel's epoch, given the store's epoch and newest id and what had been seen here before they were read.
     * A newest id below what was seen means the store lost the history's tail: the epoch is replaced in the store;
     * an epoch in the store other than the one known here means another replica found it lost. Either way every
     * subscription of the channel here starts over in the new one. The store is written under the history's lock,
     * so that two calls noticing one loss replace the epoch once; losses are rare, and a delivery meanwhile waits a
     * round trip.
     */
    private String noticeLoss(String channel, SeenHistory history, SeenHistory.Seen seenBefore, String storeEpoch,
                              long storeNewest) {
        String fresh;
        synchronized (history) {
            if (seenBefore.startedOver() != history.startedOver) {
                history.saw(storeNewest);
                return history.epoch; // a loss noticed meanwhile: this read may predate its new epoch
            }
            boolean wentBack = storeNewest < seenBefore.newest();
            if (!wentBack && storeEpoch.equals(history.epoch)) {
                history.saw(storeNewest);
                return storeEpoch;
            }
            String known = history.epoch;
            fresh = wentBack ? replaceEpoch(channel, known) : storeEpoch;
            history.epoch = fresh;
            history.newest = storeNewest;
            history.startedOver++;
            if (wentBack) {
                log.warn("channel \"{}\" went back to id {} in the store, below id {} already delivered here: its "
                        + "history is lost past that, and its subscribers are told to start over (epoch {} is now {})",
                        channel, storeNewest, seenBefore.newest(), known, fresh);
            } else {
                log.warn("channel \"{}\" has a new epoch in the store ({}, was {}): its history was found lost "
                        + "elsewhere, and its subscribers here are told to start over", channel, fresh, known);
            }
        }
        Map<Executor, Set<Subscription<E>>> byThread = byChannel.get(channel);
        if (byThread != null) {
            byThread.forEach((thread, group) -> thread.execute(
                    () -> group.forEach(subscription -> subscription.startOver(fresh, storeNewest))));
        }
        return fresh;
    }

    /**
     * Replaces the epoch in the store; when the store cannot take the write (Redis at its maxmemory), a fresh one
     * for this replica alone, so that its subscribers are still told: a reset said twice beats a loss said never.
     */
    private String replaceEpoch(String channel, String lost) {
        try {
            return store.replaceEpoch(channel, lost);
        } catch (ChatException e) {
            if (e.error() != ChatError.LIMIT_REACHED) {
                throw e;
            }
            log.warn("could not replace the epoch of channel \"{}\" in the store ({}): only this replica's "
                    + "subscribers start over", channel, e.reason());
            return Epochs.fresh();
        }
    }

    /**
     * Ends a subscription: once this returns, it sends nothing more. Waits for a delivery under way, so with a store
     * that blocks call it off the IO threads (an unsubscribe call runs on the store's pool then).
     */
    public void unsubscribe(Subscription<E> subscription) {
        forget(subscription);
        subscription.end();
    }

    /** Ends the subscriptions of a socket that is closing, without waiting: on its IO thread. */
    public void unsubscribeClosing(Subscription<E> subscription) {
        forget(subscription);
        subscription.endNow();
    }

    private void forget(Subscription<E> subscription) {
        Map<Executor, Set<Subscription<E>>> byThread = byChannel.get(subscription.channel());
        if (byThread != null) {
            Set<Subscription<E>> group = byThread.get(subscription.deliveryThread());
            if (group != null) {
                group.remove(subscription); // an emptied group stays: there are only as many as IO threads
            }
        }
    }

    /** Offers a new message to the channel's subscribers, on each one's delivery thread. */
    void posted(String channel, Message message) {
        Map<Executor, Set<Subscription<E>>> byThread = byChannel.get(channel);
        if (byThread == null) {
            return;
        }
        SeenHistory history = seen.get(channel);
        if (history != null) {
            history.saw(message.id());
        }
        E event = format.sharedMessage(channel, message);
        byThread.forEach((thread, group) -> {
            if (!group.isEmpty()) {
                thread.execute(() -> {
                    for (Subscription<E> subscription : group) {
                        subscription.offer(message, event);
                    }
                });
            }
        });
    }

    /**
     * Announces a join or leave to the channel's subscribers, on each one's delivery thread; the event is made once.
     * Presence decided whether the channel is small enough for it (PresenceStore).
     */
    void presence(String channel, String username, boolean joined) {
        Map<Executor, Set<Subscription<E>>> byThread = byChannel.get(channel);
        if (byThread == null) {
            return;
        }
        E event = format.presence(channel, username, joined);
        byThread.forEach((thread, group) -> {
            if (!group.isEmpty()) {
                thread.execute(() -> group.forEach(subscription -> subscription.announce(event, username)));
            }
        });
    }

    /**
     * Has every subscription deliver what is stored beyond what it has delivered: after notifications may have
     * been missed (a replica's connection to Redis was cut and is back). Waits until they have; false when the store
     * did not answer for some channel, for the caller to try again: nothing else would deliver what was missed when
     * no message follows. Trying again is safe, as a subscription delivers each id once.
     */
    public boolean catchUpAll() {
        boolean allRead = true;
        List<CompletableFuture<Boolean>> caughtUp = new ArrayList<>();
        for (Map.Entry<String, Map<Executor, Set<Subscription<E>>>> entry : byChannel.entrySet()) {
            String channel = entry.getKey();
            long last;
            try {
                SeenHistory history = seen.get(channel);
                SeenHistory.Seen seenBefore = history == null ? null : history.snapshot();
                String epoch = history == null ? null : store.epoch(channel);
                last = store.lastMessageId(channel);
                if (history != null) {
                    noticeLoss(channel, history, seenBefore, epoch, last);
                }
            } catch (ChatException e) {
                log.warn("could not catch up channel \"{}\": {}", channel, e.reason());
                allRead &= e.error() != ChatError.STORE_UNAVAILABLE; // a channel gone has nothing to catch up
                continue;
            }
            entry.getValue().forEach((thread, group) -> caughtUp.add(CompletableFuture.supplyAsync(() -> {
                boolean all = true;
                for (Subscription<E> subscription : group) {
                    all &= subscription.catchUp(last);
                }
                return all;
            }, thread)));
        }
        try {
            for (CompletableFuture<Boolean> group : caughtUp) {
                allRead &= group.get(CATCH_UP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            log.warn("a catch-up did not finish in time ({}); trying again", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return allRead;
    }
}
