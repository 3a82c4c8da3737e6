package chat.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A channel history's identity, its epoch (spec ws/15): made when the history starts (the channel is created) and
 * again when a loss of it is noticed, so that a client resuming from an id of another history is told, instead of
 * waiting in silence for ids it has seen already. Random, so that a new process, or a Redis emptied and the channel
 * created again, never hands out an epoch a client knows. It names, it guards nothing: no secret is needed.
 */
public final class Epochs {
    private Epochs() {
    }

    /** 63 random bits in base 36: at most 13 characters of [0-9a-z], which JSON carries without escaping. */
    public static String fresh() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }
}
