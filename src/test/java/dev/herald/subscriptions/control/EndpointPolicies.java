package dev.herald.subscriptions.control;

import java.util.List;

/** EndpointPolicy without a container, for tests in other packages. */
public final class EndpointPolicies {

    private EndpointPolicies() {
    }

    /** Allows the given hosts, over http too (as the tests' push-service stub needs). */
    public static EndpointPolicy allowingInsecure(String... hosts) {
        EndpointPolicy policy = new EndpointPolicy();
        policy.allowedHosts = List.of(hosts);
        policy.allowInsecure = true;
        return policy;
    }

    /** The shipped default allow-list, https only, with a fake DNS (host -> one address) instead of the real one. */
    public static EndpointPolicy defaultsResolving(java.util.Map<String, String> dns) {
        EndpointPolicy policy = EndpointPolicyTest.resolving(EndpointPolicyTest.defaults(), dns);
        return policy;
    }
}
