package dev.herald.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Cluster;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.SharedCluster;
import dev.herald.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Channels, users and unions on the {@link SharedCluster}'s Payara Micro instances and Redis, through
 * the API and the decrypting push-service stub. Each test has its own stub and subscribers, deleted at
 * its end, so what a broadcast reaches is the test's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCluster.Extension.class)
class AudiencesIT {

    static final String PREFIX = SharedCluster.PREFIX;
    String redisUrl;
    Cluster cluster;

    @BeforeAll
    void start(SharedCluster shared) {
        redisUrl = shared.redisUrl();
        cluster = shared.cluster();
    }

    static String quoted(List<String> values) {
        return values.stream().map(value -> "\"" + value + "\"").collect(Collectors.joining(","));
    }

    static List<String> ids(Fixture fixture, List<String> names) {
        return names.stream().map(fixture::id).toList();
    }

    @Test
    void aChannelBroadcastToAThirdOfTheSubscriptionsReachesExactlyThose() throws Exception {
        try (var stub = PushServiceStub.start(null); var fixture = new Fixture(redisUrl, PREFIX, stub)) {
            var inNews = fixture.subscribe("news", 1000, Duration.ZERO, null, List.of("news"), null);
            var others = fixture.subscribe("other", 2000, Duration.ZERO, null, List.of("offers"), null);

            var reply = Fixture.notify(cluster.api("a"), "{\"title\":\"News\",\"channels\":[\"news\"]}", Map.of("Prefer", "wait=60"));

            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            Fixture.assertExact(reply.json(), 1000, 1000);
            assertThat(reply.json().getJsonObject("target").getJsonArray("channels").getString(0)).isEqualTo("news");
            for (String name : inNews) {
                assertThat(stub.deliveries(name)).as(name).hasSize(1);
            }
            for (String name : others) {
                assertThat(stub.deliveries(name)).as(name).isEmpty();
            }
        }
    }

    @Test
    void aUserWithThreeDevicesGetsThreePushesAndAUnionReachesEachOnceAsTheDryRunSaid() throws Exception {
        try (var stub = PushServiceStub.start(null); var fixture = new Fixture(redisUrl, PREFIX, stub)) {
            var alice = fixture.subscribe("alice", 3, Duration.ZERO, null, null, "alice");
            var bob = fixture.subscribe("bob", 2, Duration.ZERO, null, List.of("sports"), "bob");
            var sports = fixture.subscribe("sports", 4, Duration.ZERO, null, List.of("sports"), null);
            var listed = fixture.subscribe("listed", 5, Duration.ZERO);
            fixture.subscribe("nobody", 6, Duration.ZERO);

            var one = Fixture.notify(cluster.api("a"), "{\"title\":\"Shipped\",\"users\":[\"alice\"]}", Map.of("Prefer", "wait=30"));
            Fixture.assertExact(one.json(), 3, 3);
            for (String name : alice) {
                assertThat(stub.deliveries(name)).as(name).hasSize(1);
            }

            // a channel, 2 users and 5 ids, overlapping: bob is in sports, one listed id is alice's
            var targets = new ArrayList<>(ids(fixture, listed.subList(0, 4)));
            targets.add(fixture.id(alice.get(0)));
            String union = "{\"title\":\"Union\",\"channels\":[\"sports\"],\"users\":[\"alice\",\"bob\"],\"subscriptions\":[" + quoted(targets) + "]";
            var dry = Fixture.notify(cluster.api("a"), union + ",\"dry_run\":true}", Map.of());
            var sent = Fixture.notify(cluster.api("a"), union + "}", Map.of("Prefer", "wait=30"));

            int expected = 3 + 2 + 4 + 4;
            assertThat(dry.status()).as(dry.body()).isEqualTo(200);
            assertThat(dry.json().getInt("reach")).isEqualTo(expected);
            assertThat(dry.json().getInt("payload_bytes")).isPositive();
            Fixture.assertExact(sent.json(), expected, expected);
            var target = sent.json().getJsonObject("target");
            assertThat(target.getInt("users")).isEqualTo(2);
            assertThat(target.getInt("subscriptions")).isEqualTo(5);
            String payload = "{\"title\":\"Union\",\"tag\":\"" + sent.json().getString("id") + "\"}";
            var everyoneTargeted = new ArrayList<String>();
            everyoneTargeted.addAll(alice);
            everyoneTargeted.addAll(bob);
            everyoneTargeted.addAll(sports);
            everyoneTargeted.addAll(listed.subList(0, 4));
            assertThat(fixture.assertEveryoneGot(everyoneTargeted, payload)).as("each once").containsOnly(1);
            assertThat(stub.deliveries(listed.get(4))).isEmpty();
        }
    }

    @Test
    void subscribeWithChannelsAndAUserThenRenewKeepsThemAndThePublicViewNeverShowsTheUser() {
        var made = new ArrayList<String>();
        try (var stub = PushServiceStub.start(null)) {
            var api = cluster.api("a");
            var anonymous = new dev.herald.testing.Api(cluster.get("a").uri("/"));
            String body = stub.subscriber("renew-old").json();

            var withUserNoToken = anonymous.post("api/subscribe", body.replaceFirst("}$", ",\"user\":\"u-7\"}"));
            var created = api.post("api/subscribe", body.replaceFirst("}$", ",\"user\":\"u-7\",\"channels\":[\"offers\",\"sports\"]}"));
            String oldId = created.json().getString("id");
            made.add(oldId);
            var again = anonymous.post("api/subscribe", body);
            // the site's backend renews it (with the token): the user moves too
            var renewed = api.post("api/subscribe", stub.subscriber("renew-new").json().replaceFirst("}$", ",\"replaces\":\"" + oldId + "\"}"));
            String newId = renewed.json().getString("id");
            made.add(newId);
            var owned = api.get("api/users/u-7/subscriptions").json().getJsonArray("subscriptions");
            // the browser renews it (no token): the channels move, the user does not (the old id is public)
            var byBrowser = anonymous.post("api/subscribe", stub.subscriber("renew-browser").json().replaceFirst("}$", ",\"replaces\":\"" + newId + "\"}"));
            String browserId = byBrowser.json().getString("id");
            made.add(browserId);

            assertThat(withUserNoToken.status()).as("a user needs the token").isEqualTo(401);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(again.json().getString("id")).isEqualTo(oldId);
            assertThat(renewed.status()).isEqualTo(201);
            assertThat(anonymous.get("api/subscriptions/" + oldId).status()).as("the replaced one is gone").isEqualTo(404);
            assertThat(byBrowser.status()).isEqualTo(201);
            assertThat(anonymous.get("api/subscriptions/" + newId).status()).isEqualTo(404);
            var shown = anonymous.get("api/subscriptions/" + browserId).json();
            assertThat(shown.getJsonArray("channels").getValuesAs(jakarta.json.JsonString::getString)).containsExactly("offers", "sports");
            assertThat(shown.containsKey("user")).as("the public view never shows the user").isFalse();
            assertThat(shown.toString()).doesNotContain("u-7");
            assertThat(owned).as("after the renewal by the backend, before the browser's").singleElement().satisfies(item -> {
                assertThat(item.asJsonObject().getString("id")).isEqualTo(newId);
                assertThat(item.asJsonObject().getString("user")).isEqualTo("u-7");
            });
            assertThat(api.get("api/users/u-7/subscriptions").json().getJsonArray("subscriptions")).as("unbound by the browser's renewal").isEmpty();

            var bound = api.put("api/subscriptions/" + browserId + "/user", "{\"user\":\"u-7\"}");
            assertThat(bound.status()).as(bound.body()).isEqualTo(200);
            assertThat(bound.json().getString("user")).isEqualTo("u-7");
            assertThat(api.get("api/users/u-7/subscriptions").json().getJsonArray("subscriptions")).singleElement()
                    .satisfies(item -> assertThat(item.asJsonObject().getString("id")).isEqualTo(browserId));
            var changed = anonymous.put("api/subscriptions/" + browserId + "/channels", "{\"channels\":[\"sports\"]}");
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            assertThat(changed.json().getJsonArray("channels").getString(0)).isEqualTo("sports");
            assertThat(anonymous.put("api/subscriptions/" + browserId + "/channels", "{\"channels\":[\"weather\"]}").status()).isEqualTo(400);
            assertThat(anonymous.put("api/subscriptions/" + UUID.randomUUID() + "/channels", "{\"channels\":[]}").status()).isEqualTo(404);
            assertThat(api.delete("api/subscriptions/" + browserId + "/user").json().isNull("user")).isTrue();
            assertThat(api.get("api/users/u-7/subscriptions").json().getJsonArray("subscriptions")).isEmpty();
        } finally {
            made.forEach(id -> cluster.api("a").delete("api/subscriptions/" + id));
        }
    }

    @Test
    void erasingAUserLeavesNoTraceOfTheirSubscriptionsAndTheAudienceCountsStayExact() throws Exception {
        try (var stub = PushServiceStub.start(null); var fixture = new Fixture(redisUrl, PREFIX, stub)) {
            var api = cluster.api("a");
            var before = api.get("api/audience").json();
            var erased = fixture.subscribe("erase", 3, Duration.ZERO, "Europe/Berlin", List.of("news", "sports"), "erase-me");
            var kept = fixture.subscribe("keep", 4, Duration.ZERO, null, List.of("news"), "keep-me");
            var gone = fixture.subscribe("gone", 2, Duration.ZERO, null, List.of("offers"), null);
            gone.forEach(name -> stub.respond(name, PushServiceStub.Behaviour.status(410)));
            var erasedIds = ids(fixture, erased);
            // prunes: the push service says gone
            var pruned = Fixture.notify(api, "{\"title\":\"Prune\",\"channels\":[\"offers\"]}", Map.of("Prefer", "wait=30"));
            assertThat(pruned.json().getInt("removed")).isEqualTo(2);
            // a channel change and an unsubscribe
            assertThat(api.put("api/subscriptions/" + fixture.id(kept.get(0)) + "/channels", "{\"channels\":[\"sports\"]}").status()).isEqualTo(200);
            assertThat(api.post("api/unsubscribe", "{\"client_uuid\":\"" + fixture.id(kept.get(1)) + "\"}").status()).isEqualTo(200);

            var erase = api.delete("api/users/erase-me");

            assertThat(erase.status()).as(erase.body()).isEqualTo(200);
            assertThat(erase.json().getInt("removed")).isEqualTo(3);
            assertThat(api.delete("api/users/erase-me").json().getInt("removed")).isZero();
            var snapshot = TestRedis.snapshotOf(fixture.redis.client(), PREFIX);
            for (String id : erasedIds) {
                assertThat(snapshot.entrySet()).as("no key or value mentions " + id)
                        .noneMatch(entry -> entry.getKey().contains(id) || entry.getValue().contains(id));
            }
            assertThat(snapshot.toString()).doesNotContain("erase-me");
            var after = api.get("api/audience").json();
            assertThat(after.getInt("subscriptions") - before.getInt("subscriptions")).isEqualTo(3);
            assertThat(after.getInt("users") - before.getInt("users")).as("keep-me").isEqualTo(1);
            assertThat(count(after, "news") - count(before, "news")).as("keep-2, keep-3").isEqualTo(2);
            assertThat(count(after, "sports") - count(before, "sports")).as("keep-0").isEqualTo(1);
            assertThat(count(after, "offers") - count(before, "offers")).isZero();
            assertThat(after.getJsonObject("push_services").getInt("127.0.0.1", 0)
                    - before.getJsonObject("push_services").getInt("127.0.0.1", 0)).isEqualTo(3);
        }
    }

    static int count(jakarta.json.JsonObject audience, String channel) {
        return audience.getJsonObject("channels").getInt(channel);
    }

    @Test
    void aSubscriptionFailingWith400TenTimesOver31DaysIsRemovedAndOneFailingWith403IsKept() throws Exception {
        try (var stub = PushServiceStub.start(null); var fixture = new Fixture(redisUrl, PREFIX, stub)) {
            var names = fixture.subscribe("streak", 2, Duration.ZERO);
            stub.respond(names.get(0), PushServiceStub.Behaviour.status(400));
            stub.respond(names.get(1), PushServiceStub.Behaviour.status(403));
            String body = "{\"title\":\"Streak\",\"subscriptions\":[" + quoted(ids(fixture, names)) + "]}";
            var ids = ids(fixture, names);
            try {
                jakarta.json.JsonObject last = null;
                for (int i = 0; i < 10; i++) {
                    // Herald's clock moved 3.5 days per send: the tenth is 31.5 days after the subscriptions were made
                    fixture.redis.client().set(PREFIX + "clock:shift", String.valueOf(Duration.ofHours(84).multipliedBy(i + 1).toMillis()));
                    last = Fixture.notify(cluster.api("a"), body, Map.of("Prefer", "wait=30")).json();
                }
                assertThat(last.getInt("removed")).as(last.toString()).isEqualTo(1);
                assertThat(last.getJsonObject("removals").getInt("stale")).isEqualTo(1);
                assertThat(last.getJsonObject("failures").getInt("HTTP 403")).isEqualTo(1);
                assertThat(cluster.api("a").get("api/subscriptions/" + ids.get(0)).status()).isEqualTo(404);
                var kept = cluster.api("a").get("api/subscriptions/" + ids.get(1)).json();
                assertThat(kept.getInt("failure_streak")).as("403 is our VAPID setup: never counted").isZero();
            } finally {
                fixture.redis.client().del(PREFIX + "clock:shift");
            }
        }
    }
}
