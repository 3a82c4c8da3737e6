package chat.push;

import chat.error.ChatError;
import chat.error.ChatException;
import chat.store.Message;
import chat.store.UncheckedReads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Fan-out's ordering, hole filling and gaps (spec ws/4-7), with a fake subscriber and a fake channel: no sockets, no
 * threads (delivery runs on the calling thread), so every interleaving below is exactly the one written.
 */
@Timeout(10)
class ChannelSubscribersTest {
    private final FakeChannel channel = new FakeChannel(5);
    private final ChannelSubscribers<String> subscribers = ChannelSubscribers.on(Runnable::run, channel, new TextEvents());
    private final FakeSubscriber alice = new FakeSubscriber();

    @Test
    void theAnswerComesFirstThenTheBacklogAfterTheResumePositionThenNewMessages() {
        channel.post();
        channel.post();
        channel.post();
        subscribe(alice, 1);
        subscribers.posted("c", channel.post());
        assertEquals(List.of("answer 1-3", "message 2", "message 3", "message 4"), alice.received);
    }

    @Test
    void messagesNotifiedOutOfOrderArriveInOrderEachOnce() {
        subscribe(alice, 0);
        Message first = channel.post();
        Message second = channel.post();
        Message third = channel.post();
        subscribers.posted("c", third); // the hole (1 and 2) is read from the store
        subscribers.posted("c", first);
        subscribers.posted("c", second);
        subscribers.posted("c", third);
        assertEquals(List.of("answer 0-0", "message 1", "message 2", "message 3"), alice.received);
    }

    @Test
    void whatTheWindowDroppedBeforeItCouldBeSentIsAGap() {
        for (int i = 0; i < 8; i++) {
            channel.post(); // the window keeps 4 to 8
        }
        subscribe(alice, 1);
        assertEquals(List.of("answer 4-8", "gap 2-3", "message 4", "message 5", "message 6", "message 7", "message 8"),
                alice.received);
    }

    @Test
    void aHoleTheWindowDroppedWhileNotificationsWereLateIsAGap() {
        subscribe(alice, 0);
        Message latest = null;
        for (int i = 0; i < 7; i++) {
            latest = channel.post(); // none notified yet; the window keeps 3 to 7
        }
        subscribers.posted("c", latest);
        assertEquals(List.of("answer 0-0", "gap 1-2", "message 3", "message 4", "message 5", "message 6", "message 7"),
                alice.received);
    }

    @Test
    void aHoleTheStoreCouldNotFillIsFilledByTheNextNotification() {
        subscribe(alice, 0);
        Message first = channel.post();
        Message second = channel.post();
        channel.failing = true;
        subscribers.posted("c", second); // the hole (1) cannot be read: nothing is sent out of order
        assertEquals(List.of("answer 0-0"), alice.received);
        channel.failing = false;
        Message third = channel.post();
        subscribers.posted("c", third);
        subscribers.posted("c", first);
        assertEquals(List.of("answer 0-0", "message 1", "message 2", "message 3"), alice.received);
    }

    @Test
    void afterUnsubscribeNothingMoreIsSent() {
        List<Subscription<String>> registered = new ArrayList<>();
        subscribers.subscribe("c", 0, null, alice, registered::add, (first, last, epoch) -> "answer");
        subscribers.posted("c", channel.post());
        subscribers.unsubscribe(registered.get(0));
        subscribers.posted("c", channel.post());
        assertEquals(List.of("answer", "message 1"), alice.received);
    }

    @Test
    void oneSharedEventIsMadePerMessageHoweverManySubscribe() {
        FakeSubscriber bob = new FakeSubscriber();
        subscribe(alice, 0);
        subscribe(bob, 0);
        subscribers.posted("c", channel.post());
        assertEquals("message 1", alice.received.get(1));
        assertSame(alice.received.get(1), bob.received.get(1), "the same event object, not an equal copy");
    }

    @Test
    void aStoreFailingWhileSubscribingIsTheOnlyAnswerAndLeavesNoSubscription() {
        channel.post();
        channel.failingAfterReads = 2; // the epoch and the window are read, then the store stops answering
        List<Subscription<String>> registered = new ArrayList<>();
        ChatException failed = assertThrows(ChatException.class,
                () -> subscribers.subscribe("c", 0, null, alice, registered::add, (first, last, epoch) -> "answer"));
        assertEquals(ChatError.STORE_UNAVAILABLE, failed.error());
        channel.failingAfterReads = -1;
        subscribers.posted("c", channel.post());
        assertEquals(List.of(), alice.received, "no answer, no event: the failure is the call's one answer");
        assertEquals(List.of(), registered);
    }

    @Test
    void theEndOfASessionReachesItsSubscribers() {
        SessionSubscribers sessions = new SessionSubscribers();
        FakeSubscriber other = new FakeSubscriber();
        sessions.opened(1, alice);
        sessions.opened(2, other);
        new PushEvents(subscribers, sessions).sessionEnded(1);
        assertEquals(List.of("session ended"), alice.received);
        assertEquals(List.of(), other.received);
    }

    private void subscribe(FakeSubscriber subscriber, long after) {
        subscribe(subscriber, after, null);
    }

    private void subscribe(FakeSubscriber subscriber, long after, String epoch) {
        subscribers.subscribe("c", after, epoch, subscriber, subscription -> { },
                (first, last, current) -> "answer " + first + "-" + last + (epoch == null ? "" : " " + current));
    }

    @Test
    void aPositionAheadOfTheNewestIdIsResetThenTheKeptMessagesFromTheStart() {
        channel.post();
        channel.post();
        subscribe(alice, 1_000_000);
        subscribers.posted("c", channel.post());
        assertEquals(List.of("answer 1-2", "reset e1 2", "message 1", "message 2", "message 3"), alice.received);
    }

    @Test
    void anEpochOfAnotherHistoryIsResetThoughItsIdIsBehindTheNewest() {
        channel.post();
        channel.post();
        channel.post();
        subscribe(alice, 2, "of-a-lost-history");
        assertEquals(List.of("answer 1-3 e1", "reset e1 3", "message 1", "message 2", "message 3"), alice.received);
    }

    @Test
    void theChannelsOwnEpochResumesAfterTheIdGiven() {
        channel.post();
        channel.post();
        subscribe(alice, 1, "e1");
        assertEquals(List.of("answer 1-2 e1", "message 2"), alice.received);
    }

    @Test
    void aStoreWhoseNewestIdWentBackIsNoticedAtCatchUpAndItsHistoryGetsANewEpoch() {
        subscribe(alice, 0);
        for (int i = 0; i < 4; i++) {
            subscribers.posted("c", channel.post());
        }
        channel.loseNewest(2); // ids 3 and 4 are gone, and will be handed out again
        subscribers.catchUpAll();
        assertEquals("e1'", channel.epoch("c"), "the store's epoch is replaced");
        subscribers.posted("c", channel.post()); // the new 3
        assertEquals(List.of("answer 0-0", "message 1", "message 2", "message 3", "message 4",
                "reset e1' 2", "message 1", "message 2", "message 3"), alice.received);
        FakeSubscriber bob = new FakeSubscriber();
        subscribe(bob, 4, "e1"); // a client of the lost history, resuming where it was
        assertEquals(List.of("answer 1-3 e1'", "reset e1' 3", "message 1", "message 2", "message 3"), bob.received);
    }

    @Test
    void aMessageAnnouncedWhileTheNewestIdIsReadIsNewerThanTheReadNotALoss() {
        List<Runnable> deliveries = new ArrayList<>();
        ChannelSubscribers<String> deferred = ChannelSubscribers.on(deliveries::add, channel, new TextEvents());
        FakeSubscriber bob = new FakeSubscriber();
        deferred.subscribe("c", 0, null, bob, subscription -> { }, (first, last, current) -> "answer");
        deferred.posted("c", channel.post());
        // Message 2 is stored and announced after the store answered that the newest id is 1, as on Redis.
        channel.whileReadingNewestId = () -> deferred.posted("c", channel.post());
        deferred.subscribe("c", 1, "e1", alice, subscription -> { },
                (first, last, current) -> "answer " + first + "-" + last + " " + current);
        deliveries.forEach(Runnable::run);
        assertEquals(List.of("answer 1-1 e1", "message 2"), alice.received);
        assertEquals(List.of("answer", "message 1", "message 2"), bob.received);
        assertEquals("e1", channel.epoch("c"), "the history is the same one");
    }

    @Test
    void anEpochReplacedInTheStoreByAnotherReplicaRestartsTheSubscriptionsHere() {
        subscribe(alice, 0);
        for (int i = 0; i < 3; i++) {
            subscribers.posted("c", channel.post());
        }
        channel.replaceEpoch("c", "e1"); // another replica found the history lost, and has said so in the store
        subscribers.catchUpAll();
        assertEquals(List.of("answer 0-0", "message 1", "message 2", "message 3",
                "reset e1' 3", "message 1", "message 2", "message 3"), alice.received);
    }

    @Test
    void theNewHistorysFirstMessagesOfferedBeforeTheStartOverAreDeliveredAndNoneIsResetTwice() {
        List<Runnable> deliveries = new ArrayList<>();
        ChannelSubscribers<String> deferred = ChannelSubscribers.on(deliveries::add, channel, new TextEvents());
        deferred.subscribe("c", 0, null, alice, subscription -> { }, (first, last, current) -> "answer");
        for (int i = 0; i < 4; i++) {
            deferred.posted("c", channel.post());
        }
        deliveries.forEach(Runnable::run);
        deliveries.clear();
        channel.loseNewest(2); // ids 3 and 4 are gone
        FakeSubscriber bob = new FakeSubscriber();
        // Bob's subscribe notices the loss; meanwhile the new history's 3 is posted and offered, before the
        // start-over that the notice queued for alice runs.
        channel.whileReadingNewestId = () -> deferred.posted("c", channel.post());
        deferred.subscribe("c", 0, null, bob, subscription -> { },
                (first, last, current) -> "answer " + first + "-" + last + " " + current);
        deliveries.forEach(Runnable::run);
        assertEquals(List.of("answer", "message 1", "message 2", "message 3", "message 4",
                "reset e1' 3", "message 1", "message 2", "message 3"), alice.received, "the new 3 is not lost");
        assertEquals(List.of("answer 1-2 e1'", "reset e1' 2", "message 1", "message 2", "message 3"), bob.received,
                "one reset: bob's subscription was made in the new history");
    }

    /** Events as text, each message's shared event a new String so that sharing can be told from equality. */
    private static final class TextEvents implements EventFormat<String> {
        @Override
        public String sharedMessage(String channel, Message message) {
            return new String("message " + message.id());
        }

        @Override
        public String message(String channel, Message message) {
            return "message " + message.id();
        }

        @Override
        public String gap(String channel, long from, long to) {
            return "gap " + from + "-" + to;
        }

        @Override
        public String reset(String channel, String epoch, long last) {
            return "reset " + epoch + " " + last;
        }

        @Override
        public String presence(String channel, String username, boolean joined) {
            return (joined ? "join " : "leave ") + username;
        }
    }

    private static final class FakeSubscriber implements Subscriber<String> {
        final List<String> received = new ArrayList<>();

        @Override
        public Executor thread() {
            return Runnable::run;
        }

        @Override
        public void send(String event) {
            received.add(event);
        }

        @Override
        public void sessionEnded() {
            received.add("session ended");
        }
    }

    /** One channel "c" with a window of the newest messages, which can be made to stop answering. */
    private static final class FakeChannel implements UncheckedReads {
        private final int window;
        private final NavigableMap<Long, Message> kept = new TreeMap<>();
        private long lastId;
        private String epoch = "e1";
        boolean failing;
        int failingAfterReads = -1;
        /** Runs once, after the newest id is read and before it is answered. */
        Runnable whileReadingNewestId;

        FakeChannel(int window) {
            this.window = window;
        }

        Message post() {
            Message message = new Message(++lastId, Message.NO_TIME, "m".getBytes(StandardCharsets.UTF_8));
            kept.put(message.id(), message);
            while (kept.size() > window) {
                kept.pollFirstEntry();
            }
            return message;
        }

        private void read() {
            if (failingAfterReads == 0 || failing) {
                throw ChatError.STORE_UNAVAILABLE.exception();
            }
            if (failingAfterReads > 0) {
                failingAfterReads--;
            }
        }

        @Override
        public long lastMessageId(String channel) {
            read();
            long newest = lastId;
            Runnable meanwhile = whileReadingNewestId;
            whileReadingNewestId = null;
            if (meanwhile != null) {
                meanwhile.run();
            }
            return newest;
        }

        @Override
        public List<Message> range(String channel, long first, long last) {
            read();
            return first > last ? List.of() : List.copyOf(kept.subMap(first, true, last, true).values());
        }

        @Override
        public String epoch(String channel) {
            read();
            return epoch;
        }

        @Override
        public String replaceEpoch(String channel, String lost) {
            read();
            if (epoch.equals(lost)) {
                epoch = lost + "'";
            }
            return epoch;
        }

        /** The store loses its newest messages, as a Redis restarted without its last second would. */
        void loseNewest(int count) {
            for (int i = 0; i < count; i++) {
                kept.remove(lastId--);
            }
        }

        @Override
        public boolean renewSession(long sesskey) {
            return true;
        }
    }
}
