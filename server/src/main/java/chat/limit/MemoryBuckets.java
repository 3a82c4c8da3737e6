package chat.limit;

import chat.config.Rate;
import chat.error.ChatException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logon limits' buckets in this process's memory, one map a limit. A bucket that has filled up again is no
 * different from a new one, so {@link #sweep} forgets it: a map holds only the keys that were charged recently.
 * Each map holds at most {@code maxKeys} buckets: a charge that needs a new bucket past that (someone is trying
 * very many addresses or usernames) first sweeps, and if that frees nothing is refused, for a logon is where
 * failing closed is the safe side.
 */
public final class MemoryBuckets implements Buckets {
    /** How a full map's refusal reads, and how long it asks to wait (a sweep will have run by then). */
    private static final RateLimit TRACKING_FULL = new RateLimit("tracked-clients",
            new Rate(1, Duration.ofSeconds(10)), "the server is tracking too many clients to take %s now");

    private final int maxKeys;
    private final Map<String, ConcurrentHashMap<String, TokenBucket>> byLimit = new ConcurrentHashMap<>();

    public MemoryBuckets(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    @Override
    public ChatException take(List<Charge> charges) {
        List<TokenBucket> taken = new ArrayList<>(charges.size());
        ChatException refusal = null;
        Duration longest = Duration.ZERO;
        for (Charge charge : charges) {
            TokenBucket bucket = bucketFor(charge);
            if (bucket == null) {
                refusal = TRACKING_FULL.refuse("another logon", TRACKING_FULL.rate().interval());
                break;
            }
            Duration wait = bucket.tryTake();
            if (wait == null) {
                taken.add(bucket);
            } else if (wait.compareTo(longest) > 0) {
                longest = wait;
                refusal = charge.limit().refuse(charge.subject(), wait);
            }
        }
        if (refusal != null) {
            taken.forEach(TokenBucket::giveBack); // all or none
        }
        return refusal;
    }

    @Override
    public void giveBack(List<Charge> charges) {
        for (Charge charge : charges) {
            TokenBucket bucket = buckets(charge.limit()).get(charge.key());
            if (bucket != null) {
                bucket.giveBack();
            }
        }
    }

    @Override
    public void sweep() {
        byLimit.values().forEach(buckets -> buckets.values().removeIf(TokenBucket::isFull));
    }

    /** How many buckets the limit of this name keeps now. */
    public int size(String limitName) {
        Map<String, TokenBucket> buckets = byLimit.get(limitName);
        return buckets == null ? 0 : buckets.size();
    }

    private TokenBucket bucketFor(Charge charge) {
        ConcurrentHashMap<String, TokenBucket> buckets = buckets(charge.limit());
        TokenBucket bucket = buckets.get(charge.key());
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= maxKeys) {
            buckets.values().removeIf(TokenBucket::isFull);
            if (buckets.size() >= maxKeys) {
                return null;
            }
        }
        return buckets.computeIfAbsent(charge.key(), key -> new TokenBucket(charge.limit()));
    }

    private ConcurrentHashMap<String, TokenBucket> buckets(RateLimit limit) {
        return byLimit.computeIfAbsent(limit.name(), name -> new ConcurrentHashMap<>());
    }
}
