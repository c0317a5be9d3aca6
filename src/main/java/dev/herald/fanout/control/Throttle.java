package dev.herald.fanout.control;

import dev.herald.fanout.entity.Unit;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.RedisClock;
import dev.herald.platform.control.Script;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * A throttled job's limiter, shared by every instance: a token bucket of capacity ceil(rate/60)
 * refilled at rate/60 a second, kept in Redis as the generic cell rate algorithm (GCRA) keeps it,
 * one number per job: the theoretical arrival time (tat) of the next push. Reserving n pushes at
 * time now gives push i the slot max(now, tat + i * every - tolerance), with every = 60000/rate ms
 * and tolerance = (capacity - 1) * every: a burst of capacity at first, then one push every
 * `every`, whichever instance sends it. A batch carries the tat and time ("cut") of its reservation,
 * so its slots are known without asking again; retries reserve afresh: they count too.
 */
@ApplicationScoped
public class Throttle {

    /** How far ahead a batch reserves slots for itself; the rest waits in the delayed set, holding no thread. */
    static final long HORIZON_MILLIS = 2000;

    // reserve(key, rate, n, now, horizon ms or -1 for no limit): returns how many got a slot, the tat of the first,
    // and when the next free slot is
    static final String RESERVE = """
            local function reserve(key, rate, n, now, horizon)
              local every = 60000 / rate
              local tolerance = (math.ceil(rate / 60) - 1) * every
              local tat = math.max(tonumber(redis.call('GET', key)) or now, now)
              local granted = n
              if horizon >= 0 then
                granted = 0
                while granted < n and math.max(now, tat + granted * every - tolerance) - now <= horizon do
                  granted = granted + 1
                end
              end
              if granted > 0 then
                redis.call('SET', key, string.format('%.3f', tat + granted * every), 'PX', 86400000)
              end
              return granted, tat, math.max(now, tat + granted * every - tolerance)
            end
            """;

    // KEYS: limiter, clock. ARGV: rate per minute, n, horizon ms. Returns {granted, tat, now, next free slot}.
    static final Script LIMIT = new Script(RedisClock.NOW + RESERVE + """
            local now = now_ms(KEYS[2])
            local granted, tat, next_free = reserve(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), now, tonumber(ARGV[3]))
            return {granted, string.format('%.3f', tat), now, math.floor(next_free)}
            """);

    /** The slots of a reservation: slot(i) in Herald's clock (epoch ms) for the i-th push reserved; granted of them. */
    public record Reservation(int granted, double tat, long cut, long nextFree, int ratePerMinute) {

        public long slot(int i) {
            double every = 60_000.0 / ratePerMinute;
            double tolerance = (Math.ceil(ratePerMinute / 60.0) - 1) * every;
            return Math.max(cut, (long) Math.ceil(tat + i * every - tolerance));
        }

        /** The slots a walk step reserved for its batch (Unit.tat, Unit.cut). */
        public static Reservation of(Unit unit, int ratePerMinute) {
            return new Reservation(unit.items().size(), unit.tat(), unit.cut(), unit.cut(), ratePerMinute);
        }
    }

    @Inject
    Redis redis;

    @Inject
    RedisClock clock;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    /** Reserves slots for up to n pushes of the job within HORIZON_MILLIS from now. */
    public Reservation reserve(String jobId, int ratePerMinute, int n) {
        List<?> result = (List<?>) LIMIT.run(redis.client(), List.of(redis.key(Keys.JOB + jobId + Keys.THROTTLE), clock.shiftKey()),
                List.of(String.valueOf(ratePerMinute), String.valueOf(n), String.valueOf(HORIZON_MILLIS)));
        return new Reservation(((Long) result.get(0)).intValue(), Double.parseDouble((String) result.get(1)), (Long) result.get(2),
                (Long) result.get(3), ratePerMinute);
    }
}
