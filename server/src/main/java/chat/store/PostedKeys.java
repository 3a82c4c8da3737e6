package chat.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The in-memory store's idempotency keys: for each user, the keys of their recent posts, each with the id it got
 * and a digest of its channel and message. A keyed post runs under its user's lock, so of racing repeats one posts
 * and the others find its key; posts without a key never come here.
 *
 * <p>Bounded three ways: a key is forgotten {@link IdempotencyLimits#window()} after its post (when its user next
 * posts with a key, or by {@link #forgetExpired}, which the server runs with its session sweep), a user's oldest is
 * forgotten past {@link IdempotencyLimits#perUser()}, and every key (and each user's table) is charged to the
 * store's {@link MessageMemory}: a keyed post that would pass the budget is refused LIMIT_REACHED, as its message
 * would be.
 */
final class PostedKeys {
    /** A key's post: when it was made, the id it got, and what it posted (SHA-256 of channel, newline, message). */
    private record Kept(long atMillis, long id, byte[] digest) {
    }

    /** One user's keys, oldest first; {@code gone} once the sweep has taken it out of the map. */
    private static final class UserKeys {
        final LinkedHashMap<String, Kept> keys = new LinkedHashMap<>();
        boolean gone;
    }

    private final Clock clock;
    private final long windowMillis;
    private final int perUser;
    private final MessageMemory memory;
    private final ConcurrentHashMap<String, UserKeys> users = new ConcurrentHashMap<>();

    PostedKeys(Clock clock, IdempotencyLimits limits, MessageMemory memory) {
        this.clock = clock;
        this.windowMillis = limits.window().toMillis();
        this.perUser = limits.perUser();
        this.memory = memory;
    }

    /**
     * The first post with this user's key runs {@code post}; a repeat within the window answers the first one's id,
     * or IDEMPOTENCY_KEY_REUSED when its channel or message differ. A post that fails keeps no key, so it may be
     * tried again with it.
     */
    Posted post(String username, String key, String channel, byte[] encoded, Supplier<Message> post) {
        byte[] digest = digest(channel, encoded);
        while (true) {
            UserKeys user = users.computeIfAbsent(username, name -> {
                memory.charge(KeptBytes.keyedPoster(name));
                return new UserKeys();
            });
            synchronized (user) {
                if (!user.gone) {
                    return post(user, key, digest, post);
                }
            } // the sweep took this user's table out just now: make a new one
        }
    }

    private Posted post(UserKeys user, String key, byte[] digest, Supplier<Message> post) {
        long now = clock.millis();
        forgetExpired(user, now);
        Kept kept = user.keys.get(key);
        if (kept != null) {
            if (!Arrays.equals(kept.digest(), digest)) {
                throw StoreRefusals.keyReused(key);
            }
            return new Posted(kept.id(), null);
        }
        long cost = KeptBytes.postedKey(key);
        memory.charge(cost);
        Message stored;
        try {
            stored = post.get();
        } catch (RuntimeException e) {
            memory.release(cost);
            throw e;
        }
        user.keys.put(key, new Kept(now, stored.id(), digest));
        if (user.keys.size() > perUser) {
            forget(user.keys.entrySet().iterator());
        }
        return new Posted(stored.id(), stored);
    }

    /** Forgets every key older than the window, and a user left with none; returns how many keys went. */
    int forgetExpired() {
        long now = clock.millis();
        int forgotten = 0;
        for (Map.Entry<String, UserKeys> entry : users.entrySet()) {
            UserKeys user = entry.getValue();
            synchronized (user) {
                forgotten += forgetExpired(user, now);
                if (user.keys.isEmpty() && !user.gone) {
                    user.gone = true;
                    users.remove(entry.getKey(), user);
                    memory.release(KeptBytes.keyedPoster(entry.getKey()));
                }
            }
        }
        return forgotten;
    }

    /** Keys are in posting order, so the expired ones are the first. */
    private int forgetExpired(UserKeys user, long now) {
        int forgotten = 0;
        Iterator<Map.Entry<String, Kept>> oldest = user.keys.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<String, Kept> entry = oldest.next();
            if (now - entry.getValue().atMillis() < windowMillis) {
                break;
            }
            forget(entry.getKey(), oldest);
            forgotten++;
        }
        return forgotten;
    }

    private void forget(Iterator<Map.Entry<String, Kept>> oldest) {
        forget(oldest.next().getKey(), oldest);
    }

    private void forget(String key, Iterator<Map.Entry<String, Kept>> at) {
        at.remove();
        memory.release(KeptBytes.postedKey(key));
    }

    /** Keys kept now, all users together; for tests. */
    int size() {
        int size = 0;
        for (UserKeys user : users.values()) {
            synchronized (user) {
                size += user.keys.size();
            }
        }
        return size;
    }

    private static byte[] digest(String channel, byte[] encoded) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(channel.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n'); // a channel name has no control character, so this ends it
            return sha.digest(encoded);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
