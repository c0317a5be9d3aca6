package dev.herald.fanout.entity;

import java.util.List;

/** Who a job is for: every subscription, or the listed subscription ids. */
public sealed interface Audience permits Audience.Everyone, Audience.Listed {

    record Everyone() implements Audience {
    }

    /** Distinct ids, in the order given. */
    record Listed(List<String> ids) implements Audience {

        public Listed {
            ids = List.copyOf(ids);
        }
    }

    static Audience everyone() {
        return new Everyone();
    }

    /** How a job's list entry names its audience: "everyone" or "subscriptions:<count>" (JobReport.target). */
    default String target() {
        return this instanceof Listed listed ? "subscriptions:" + listed.ids().size() : "everyone";
    }

    /** A few listed devices are quick: they never wait behind a broadcast. */
    default Lane lane() {
        return this instanceof Listed ? Lane.PRIORITY : Lane.BULK;
    }
}
