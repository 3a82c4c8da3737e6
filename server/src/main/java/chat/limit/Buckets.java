package chat.limit;

import chat.error.ChatException;

import java.util.List;

/**
 * Where the logon limits' buckets live: in this process's memory ({@link MemoryBuckets}), or in Redis, where every
 * replica takes from the same buckets ({@code chat.redis.RedisBuckets}). The per-session limits live with the
 * sessions, in each store's own call path.
 */
public interface Buckets {
    /**
     * Takes one token from each bucket, all or none.
     *
     * @return null when every token was taken; else the refusal (RATE_LIMITED) of the bucket that is empty longest,
     *         and nothing was taken
     */
    ChatException take(List<Charge> charges);

    /** Puts back one token into each: for tokens taken for an attempt that turned out not to count. */
    void giveBack(List<Charge> charges);

    /** Forgets what it need not keep; run periodically. */
    default void sweep() {
    }
}
