package dev.herald.notifications.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.fanout.entity.Audience;
import dev.herald.notifications.entity.Notification;
import dev.herald.platform.boundary.PayloadTooLargeException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.BadRequestException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NotificationParserTest {

    static final String ID = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text.replace('\'', '"')))) {
            return reader.readObject();
        }
    }

    static Notification parse(String text) {
        return NotificationParser.parse(json(text));
    }

    static void rejects(String text, String detail) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(BadRequestException.class).hasMessageContaining(detail);
    }

    @Test
    void minimalNotificationGetsDefaults() {
        var n = parse("{'title':'Hi'}");
        assertThat(n.title()).isEqualTo("Hi");
        assertThat(n.ttl()).isEqualTo(2_419_200);
        assertThat(n.urgency()).isNull();
        assertThat(n.topic()).isNull();
        assertThat(n.audience()).isEqualTo(Audience.everyone());
        assertThat(n.audience().lane()).isEqualTo(dev.herald.fanout.entity.Lane.BULK);
        assertThat(new String(n.payload(ID), StandardCharsets.UTF_8)).as("the tag defaults to the job id")
                .isEqualTo("{\"title\":\"Hi\",\"tag\":\"" + ID + "\"}");
    }

    @Test
    void topicPerJobIsTheJobIdWithoutDashesOnlyWhenAskedForAndNoTopicWasGiven() {
        assertThat(parse("{'title':'Hi'}").message(ID, false).options().topic()).isNull();
        assertThat(parse("{'title':'Hi'}").message(ID, true).options().topic()).isEqualTo(ID.replace("-", "")).hasSize(32);
        assertThat(parse("{'title':'Hi','topic':'mine'}").message(ID, true).options().topic()).isEqualTo("mine");
    }

    @Test
    void payloadHoldsOnlyDisplayFieldsInOrder() {
        var n = parse("{'ttl':60,'urgency':'high','topic':'news','tag':'t','image':'/i.png','badge':'/b.png',"
                + "'icon':'https://example.com/i.png','url':'/page','body':'B','title':'T','subscriptions':['" + ID + "']}");
        assertThat(new String(n.payload(ID), StandardCharsets.UTF_8)).isEqualTo(
                "{\"title\":\"T\",\"body\":\"B\",\"url\":\"/page\",\"icon\":\"https://example.com/i.png\","
                        + "\"badge\":\"/b.png\",\"image\":\"/i.png\",\"tag\":\"t\"}");
        var options = n.message(ID, false).options();
        assertThat(options.ttlSeconds()).isEqualTo(60);
        assertThat(options.urgency()).isEqualTo("high");
        assertThat(options.topic()).isEqualTo("news");
        assertThat(n.subscriptions()).containsExactly(ID);
        assertThat(n.audience()).isEqualTo(new Audience.Listed(java.util.List.of(ID)));
        assertThat(n.audience().lane()).isEqualTo(dev.herald.fanout.entity.Lane.PRIORITY);
    }

    @Test
    void nullMembersCountAsAbsent() {
        var n = parse("{'title':'T','body':null,'ttl':null,'subscriptions':null}");
        assertThat(n.body()).isNull();
        assertThat(n.ttl()).isEqualTo(Notification.DEFAULT_TTL);
        assertThat(n.audience()).isEqualTo(Audience.everyone());
    }

    @Test
    void unknownFieldsAreRefused() {
        rejects("{'title':'T','titel':'x','extra':1}", "Unknown field(s) extra, titel");
    }

    @Test
    void titleIsRequiredAndMustBeAString() {
        rejects("{'body':'B'}", "title is required");
        rejects("{'title':'  '}", "title is required");
        rejects("{'title':5}", "title must be a string, not number");
        rejects("{'title':'T','body':true}", "body must be a string, not true");
    }

    @Test
    void ttlMustBeWholeSecondsWithinFourWeeks() {
        assertThat(parse("{'title':'T','ttl':0}").ttl()).isZero();
        assertThat(parse("{'title':'T','ttl':2419200}").ttl()).isEqualTo(2_419_200);
        rejects("{'title':'T','ttl':2419201}", "ttl must be between 0 and 2419200");
        rejects("{'title':'T','ttl':-1}", "ttl must be between 0 and 2419200");
        rejects("{'title':'T','ttl':1.5}", "ttl must be a whole number");
        rejects("{'title':'T','ttl':'60'}", "ttl must be a whole number");
        rejects("{'title':'T','ttl':99999999999999999999999}", "ttl must be between");
    }

    @Test
    void urgencyMustBeOneOfRfc8030Values() {
        for (String urgency : new String[] {"very-low", "low", "normal", "high"}) {
            assertThat(parse("{'title':'T','urgency':'" + urgency + "'}").urgency()).isEqualTo(urgency);
        }
        rejects("{'title':'T','urgency':'urgent'}", "urgency must be one of");
        rejects("{'title':'T','urgency':'HIGH'}", "urgency must be one of");
    }

    @Test
    void topicIsAtMost32Base64UrlCharacters() {
        assertThat(parse("{'title':'T','topic':'Abc-_09'}").topic()).isEqualTo("Abc-_09");
        assertThat(parse("{'title':'T','topic':'" + "a".repeat(32) + "'}").topic()).hasSize(32);
        rejects("{'title':'T','topic':'" + "a".repeat(33) + "'}", "topic must be 1 to 32");
        rejects("{'title':'T','topic':'a b'}", "topic must be 1 to 32");
        rejects("{'title':'T','topic':'a+b/'}", "topic must be 1 to 32");
        rejects("{'title':'T','topic':''}", "topic must be 1 to 32");
    }

    @Test
    void linksMustBeHttpsOrSameOriginPaths() {
        rejects("{'title':'T','url':'javascript:alert(1)'}", "url must be an https URL");
        rejects("{'title':'T','icon':'data:image/png;base64,AAAA'}", "icon must be an https URL");
        rejects("{'title':'T','badge':'http://example.com/b.png'}", "badge must be an https URL");
        rejects("{'title':'T','image':'//evil.example/x.png'}", "image must be an https URL or a path");
        rejects("{'title':'T','url':'page.html'}", "url must be an https URL or a path");
        rejects("{'title':'T','url':'/\\\\evil.example'}", "backslash");
        rejects("{'title':'T','url':'https:///nohost'}", "url must be an https URL with a host");
        assertThat(parse("{'title':'T','url':'HTTPS://example.com/a?b=c#d'}").url()).isEqualTo("HTTPS://example.com/a?b=c#d");
    }

    @Test
    void tagLengthIsBounded() {
        rejects("{'title':'T','tag':''}", "tag must be 1 to 256");
        rejects("{'title':'T','tag':'" + "t".repeat(257) + "'}", "tag must be 1 to 256");
    }

    @Test
    void subscriptionsMustBeANonEmptyListOfIds() {
        var n = parse("{'title':'T','subscriptions':['" + ID + "','" + ID + "']}");
        assertThat(n.subscriptions()).containsExactly(ID);
        rejects("{'title':'T','subscriptions':[]}", "non-empty array");
        rejects("{'title':'T','subscriptions':'" + ID + "'}", "non-empty array");
        rejects("{'title':'T','subscriptions':['not-an-id']}", "\"not-an-id\" is not one");
        rejects("{'title':'T','subscriptions':[1]}", "1 is not one");
        rejects("{'title':'T','subscriptions':['" + ID.toUpperCase() + "']}", "is not one");
    }

    @Test
    void payloadOver3993BytesIsTooLargeAndSaysItsSize() {
        // {"title":"","tag":"<job id>"} is 12 + 45 bytes (the tag defaults to the 36-character job id); 'é' is 2 bytes of UTF-8
        String fits = "é".repeat((3993 - 57) / 2);
        assertThat(parse("{'title':'" + fits + "'}").payload(ID)).hasSize(3993);
        String tooBig = fits + "é";
        assertThatThrownBy(() -> parse("{'title':'" + tooBig + "'}"))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("3995 bytes").hasMessageContaining("at most 3993");
    }

    @Test
    void sendAtLocalTimeAndThrottleMakeThePlan() {
        var plan = parse("{'title':'T','send_at':'2026-12-24T09:00:00+01:00','throttle_per_minute':600}").plan();
        assertThat(plan.sendAt()).isEqualTo("2026-12-24T08:00:00Z");
        assertThat(plan.throttlePerMinute()).isEqualTo(600);
        assertThat(parse("{'title':'T','send_at':'2026-12-24t08:00:00.5z'}").plan().sendAt()).isEqualTo("2026-12-24T08:00:00.500Z");
        assertThat(parse("{'title':'T','local_time':'09:30'}").plan().localTime()).isEqualTo(java.time.LocalTime.of(9, 30));
        assertThat(parse("{'title':'T'}").plan()).isEqualTo(dev.herald.fanout.entity.Plan.immediate());
    }

    @Test
    void sendAtMustBeAnRfc3339TimestampWithAnOffset() {
        rejects("{'title':'T','send_at':'2026-12-24T09:00:00'}", "send_at '2026-12-24T09:00:00' has no offset");
        rejects("{'title':'T','send_at':'tomorrow'}", "send_at 'tomorrow' is not an RFC 3339 timestamp");
        rejects("{'title':'T','send_at':'2026-02-30T09:00:00Z'}", "is not an RFC 3339 timestamp");
        rejects("{'title':'T','send_at':1767000000}", "send_at must be a string");
    }

    @Test
    void localTimeIsHoursAndMinutesAndCannotBeCombinedWithSendAt() {
        for (String bad : new String[] {"9:00", "24:00", "23:60", "09:00:00", "0900", ""}) {
            rejects("{'title':'T','local_time':'" + bad + "'}", "local_time must be HH:MM");
        }
        rejects("{'title':'T','local_time':'09:00','send_at':'2026-12-24T09:00:00Z'}", "send_at and local_time cannot be combined");
    }

    @Test
    void throttleIsAWholeNumberFrom60ToAMillion() {
        rejects("{'title':'T','throttle_per_minute':59}", "throttle_per_minute must be a whole number of pushes per minute from 60 to 1000000, not 59");
        rejects("{'title':'T','throttle_per_minute':1000001}", "not 1000001");
        rejects("{'title':'T','throttle_per_minute':100.5}", "not 100.5");
        rejects("{'title':'T','throttle_per_minute':'600'}", "throttle_per_minute must be");
        rejects("{'title':'T','throttle_per_minute':1e30}", "throttle_per_minute must be");
        assertThat(parse("{'title':'T','throttle_per_minute':60}").plan().throttlePerMinute()).isEqualTo(60);
        assertThat(parse("{'title':'T','throttle_per_minute':1000000}").plan().throttlePerMinute()).isEqualTo(1_000_000);
    }
}
