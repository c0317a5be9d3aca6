package dev.herald.fanout.entity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One stream entry of work, as a consumer holds it: a walk step (cut the next batch of a broadcast
 * from the id after `after`) or a batch of subscriptions, each with the tries it already had.
 * deliveries is how often the stream has handed it to a consumer (1 on the first read). waited: the
 * batch waited in the delayed set for its subscribers' local time. tat and cut: the throttle slots
 * its walk step reserved for it (Throttle.Reservation), NaN and 0 when it has none.
 */
public record Unit(Lane lane, String entryId, String jobId, Kind kind, String after, List<Item> items, long deliveries,
                   boolean waited, double tat, long cut) {

    public Unit(Lane lane, String entryId, String jobId, Kind kind, String after, List<Item> items, long deliveries) {
        this(lane, entryId, jobId, kind, after, items, deliveries, false, Double.NaN, 0);
    }

    public boolean reserved() {
        return !Double.isNaN(tat);
    }

    public enum Kind {
        WALK, BATCH
    }

    /** A subscription id of a batch, and how many tries its push already had (0: none yet). */
    public record Item(String id, int retries) {

        /** "id" or "id:retries", as stream entries and the delayed set spell it. */
        public String token() {
            return retries == 0 ? id : id + ":" + retries;
        }

        public static Item parse(String token) {
            int colon = token.indexOf(':');
            return colon < 0 ? new Item(token, 0) : new Item(token.substring(0, colon), Integer.parseInt(token.substring(colon + 1)));
        }
    }

    /** Reads an entry's fields as JobQueue and Settlement write them. */
    public static Unit of(Lane lane, String entryId, Map<String, String> fields, long deliveries) {
        Kind kind = "walk".equals(fields.get("kind")) ? Kind.WALK : Kind.BATCH;
        String ids = fields.getOrDefault("ids", "");
        List<Item> items = ids.isEmpty() ? List.of() : Arrays.stream(ids.split(" ")).map(Item::parse).toList();
        String tat = fields.get("tat");
        return new Unit(lane, entryId, fields.get("job"), kind, fields.getOrDefault("after", ""), items, deliveries,
                "1".equals(fields.get("waited")), tat == null ? Double.NaN : Double.parseDouble(tat),
                tat == null ? 0 : Long.parseLong(fields.get("cut")));
    }

    public Unit withDeliveries(long count) {
        return new Unit(lane, entryId, jobId, kind, after, items, count, waited, tat, cut);
    }

    public static String tokens(List<Item> items) {
        var tokens = new ArrayList<String>(items.size());
        items.forEach(item -> tokens.add(item.token()));
        return String.join(" ", tokens);
    }
}
