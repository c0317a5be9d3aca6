package dev.herald.fanout.entity;

import dev.herald.platform.control.JsonBody;
import java.util.List;

/**
 * Who a job is for: every subscription; the listed subscription ids; or a union of channels (any
 * of), users (every subscription of each) and listed ids, each subscription once.
 */
public sealed interface Audience permits Audience.Everyone, Audience.Listed, Audience.Union {

    record Everyone() implements Audience {
    }

    /** Distinct ids, in the order given. */
    record Listed(List<String> ids) implements Audience {

        public Listed {
            ids = List.copyOf(ids);
        }
    }

    /** At least one channel or user; ids may be empty. Each list distinct. */
    record Union(List<String> channels, List<String> users, List<String> ids) implements Audience {

        public Union {
            channels = List.copyOf(channels);
            users = List.copyOf(users);
            ids = List.copyOf(ids);
        }
    }

    static Audience everyone() {
        return new Everyone();
    }

    /**
     * How the report names the target, compactly (never the 10,000 ids themselves): "" for everybody, else
     * the JSON {"channels": [...], "users": n, "subscriptions": n} with what was asked for.
     */
    default String target() {
        if (this instanceof Listed listed) {
            return JsonBody.object().add("subscriptions", listed.ids().size()).build().toString();
        }
        if (this instanceof Union union) {
            var json = JsonBody.object();
            if (!union.channels().isEmpty()) {
                json.add("channels", JsonBody.PROVIDER.createArrayBuilder(union.channels()));
            }
            if (!union.users().isEmpty()) {
                json.add("users", union.users().size());
            }
            if (!union.ids().isEmpty()) {
                json.add("subscriptions", union.ids().size());
            }
            return json.build().toString();
        }
        return "";
    }

    /** A few listed devices are quick: they never wait behind a broadcast. A union is walked like one. */
    default Lane lane() {
        return this instanceof Listed ? Lane.PRIORITY : Lane.BULK;
    }
}
