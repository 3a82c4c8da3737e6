package chat.store;

import java.util.ArrayList;
import java.util.List;

/**
 * One channel's newest messages in a ring buffer of fixed size.
 *
 * <p>Writers take the lock, so ids are handed out one at a time with no gap. Readers take no lock: they read
 * the volatile {@code lastId} first, and everything written to the slots before that id was published is then
 * visible to them (the volatile write and read order it). While a reader walks the slots, writers may overwrite
 * some of them with newer messages, which the id check spots. Overwrites go in id order, so an overwritten slot
 * means every id before it has left the window too: the reader drops what it gathered and goes on. What it
 * returns is therefore always a contiguous, ascending run of ids, each of which was kept when it was read.
 *
 * <p>Every message kept is charged to the store's {@link MessageMemory} under the lock, and the one it pushes out
 * released in the same step, so the charge follows exactly what the slots hold.
 */
final class MessageWindow {
    private final Message[] slots;
    private final MessageMemory memory;
    private volatile long lastId;
    private long lastTime; // under the lock
    private volatile String epoch; // replaced under the lock

    MessageWindow(int capacity, MessageMemory memory) {
        if (capacity < 1) {
            throw new IllegalArgumentException("window capacity must be at least 1, got " + capacity);
        }
        this.slots = new Message[capacity];
        this.memory = memory;
        this.epoch = Epochs.fresh();
    }

    /** The identity of this history (see {@link Epochs}). */
    String epoch() {
        return epoch;
    }

    /** A new identity, unless it is no longer {@code lost}; returns the one it has now. */
    synchronized String replaceEpoch(String lost) {
        if (epoch.equals(lost)) {
            epoch = Epochs.fresh();
        }
        return epoch;
    }

    /**
     * Keeps the message under the next id, at {@code now} or, should the clock have gone back, the time of the one
     * before, so that times never go back as ids go up; LIMIT_REACHED, keeping nothing, when memory's budget has no
     * room.
     */
    synchronized Message append(byte[] encoded, long now) {
        long id = lastId + 1;
        int slot = slotOf(id);
        Message pushedOut = slots[slot];
        memory.replace(pushedOut == null ? 0 : KeptBytes.message(pushedOut.stored()), KeptBytes.message(encoded));
        lastTime = Math.max(now, lastTime);
        Message kept = new Message(id, lastTime, encoded);
        slots[slot] = kept;
        lastId = id; // publishes the slot write to readers
        return kept;
    }

    /** How many messages it keeps now: the newest, up to its capacity (ids start at 1 and have no holes). */
    long keptCount() {
        return Math.min(lastId(), slots.length);
    }

    long lastId() {
        return lastId;
    }

    List<Message> range(long first, long last) {
        long newest = lastId;
        long oldestKept = Math.max(1, newest - slots.length + 1);
        long from = Math.max(first, oldestKept);
        long to = Math.min(last, newest);
        if (from > to) {
            return List.of();
        }
        List<Message> found = new ArrayList<>((int) (to - from + 1));
        for (long id = from; id <= to; id++) {
            Message message = slots[slotOf(id)];
            if (message != null && message.id() == id) {
                found.add(message);
            } else {
                found.clear(); // this id and all before it have been overwritten meanwhile
            }
        }
        return found;
    }

    private int slotOf(long id) {
        return (int) (id % slots.length);
    }
}
