package dev.herald.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A push service (RFC 8030) on 127.0.0.1 for tests. It checks what a real one checks: the VAPID
 * header (RFC 8292: ES256 signature with the key in k, aud = this origin with port, exp in the
 * next 24 h, sub), TTL, Content-Encoding aes128gcm, and decrypts the body with the subscriber's
 * keys (RFC 8291, JDK-only). Refused requests are recorded as rejections with the reason;
 * accepted ones as deliveries with the decrypted payload. respond() scripts answers per name.
 * startFast() verifies nothing and answers 201 (benchmarks). A Personality words every refusal the way
 * one real service does (Apple's JSON reason, autopush's errno, FCM's texts, WNS's headers); GENERIC,
 * the default, answers in the stub's own words.
 */
public final class PushServiceStub implements AutoCloseable {

    public record Delivery(String name, String payload, Map<String, String> headers, Instant time) {

        /** A request header by case-insensitive name, null when absent. */
        public String header(String headerName) {
            return headers.get(headerName.toLowerCase(Locale.ROOT));
        }
    }

    public record Rejection(String name, int status, String reason, Instant time) {
    }

    /** One scripted answer; a sequence is consumed one per request, its last element repeating. */
    public static final class Behaviour {
        final int status;
        final Integer retryAfterSeconds;
        final Duration delay;
        final boolean hang;
        final boolean held;
        /** Said in the stub's personality instead of a bare status; null for the others. */
        final Personality.Said said;

        private Behaviour(int status, Integer retryAfterSeconds, Duration delay, boolean hang) {
            this(status, retryAfterSeconds, delay, hang, false, null);
        }

        private Behaviour(int status, Integer retryAfterSeconds, Duration delay, boolean hang, boolean held, Personality.Said said) {
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
            this.delay = delay;
            this.hang = hang;
            this.held = held;
            this.said = said;
        }

        /** The subscription is gone, in the personality's words (Apple 410 Unregistered, autopush errno 103, ...). */
        public static Behaviour gone() {
            return new Behaviour(0, null, Duration.ZERO, false, false, Personality.Said.GONE);
        }

        /** Slow down, in the personality's words (429 TooManyRequests, errno 201, WNS 406 channelthrottled); Retry-After when not null. */
        public static Behaviour throttled(Integer retryAfterSeconds) {
            return new Behaviour(0, retryAfterSeconds, Duration.ZERO, false, false, Personality.Said.THROTTLED);
        }

        /** Too large for this service, in the personality's words (413 PayloadTooLarge, errno 104, ...). */
        public static Behaviour tooLarge() {
            return new Behaviour(0, null, Duration.ZERO, false, false, Personality.Said.TOO_LARGE);
        }

        /** The service's own trouble, in the personality's words (500 InternalServerError, errno 999, ...). */
        public static Behaviour serverError() {
            return new Behaviour(0, null, Duration.ZERO, false, false, Personality.Said.SERVER_ERROR);
        }

        public static Behaviour status(int status) {
            return new Behaviour(status, null, Duration.ZERO, false);
        }

        public static Behaviour statusWithRetryAfter(int status, int seconds) {
            return new Behaviour(status, seconds, Duration.ZERO, false);
        }

        /** Waits, then accepts (201). */
        public static Behaviour delay(Duration delay) {
            return new Behaviour(201, null, delay, false);
        }

        /** Never answers: holds the request until the client gives up or the stub closes. */
        public static Behaviour timeout() {
            return new Behaviour(0, null, Duration.ZERO, true);
        }

        /** Holds the request until the test calls release(), then accepts (201); after that, accepts at once. */
        public static Behaviour held() {
            return new Behaviour(201, null, Duration.ZERO, false, true, null);
        }

        @Override
        public String toString() {
            return hang ? "timeout" : held ? "held" : said != null ? said.toString()
                    : "status " + status + (delay.isZero() ? "" : " after " + delay);
        }
    }

    static final int MAX_BODY = 4096;
    static final Duration MAX_EXP = Duration.ofHours(24);
    static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");
    static final Pattern VAPID = Pattern.compile("vapid\\s+(.+)", Pattern.CASE_INSENSITIVE);
    static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    final HttpServer server;
    final ExecutorService executor;
    final String expectedServerKey;
    final boolean fast;
    final Duration latency;
    final Personality personality;
    final String origin;
    final CountDownLatch closed = new CountDownLatch(1);
    final Map<String, TestSubscriber> subscribers = new ConcurrentHashMap<>();
    final Map<String, List<Behaviour>> scripts = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> scriptPositions = new ConcurrentHashMap<>();
    final Map<String, List<Delivery>> deliveries = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    final List<Rejection> rejections = new CopyOnWriteArrayList<>();
    /** Accepted deliveries so far; its monitor is notified on each. */
    final int[] delivered = new int[1];
    /** Requests that reached a held() behaviour; they wait for the gate. */
    final int[] holding = new int[1];
    final CountDownLatch gate = new CountDownLatch(1);

    private PushServiceStub(String expectedServerKey, boolean fast, Duration latency, Personality personality, InetAddress address)
            throws IOException {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("the stub listens on loopback only, not on " + address);
        }
        this.expectedServerKey = expectedServerKey;
        this.fast = fast;
        this.latency = latency;
        this.personality = personality;
        server = HttpServer.create(new InetSocketAddress(address, 0), 200);
        AtomicInteger threadCount = new AtomicInteger();
        // the fast stub sleeps out its latency on a thread: 512 of them answer 10,000/s at 50 ms
        executor = Executors.newFixedThreadPool(fast ? 512 : 48, task -> {
            Thread thread = new Thread(task, "push-stub-" + threadCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/push/", this::handle);
        server.start();
        origin = "http://" + address.getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** A checking push service; expectedServerPublicKey (base64url) is compared with the VAPID k when not null. */
    public static PushServiceStub start(String expectedServerPublicKeyOrNull) {
        return start(expectedServerPublicKeyOrNull, Personality.GENERIC);
    }

    /** The same, wording its refusals the way the personality's service does. */
    public static PushServiceStub start(String expectedServerPublicKeyOrNull, Personality personality) {
        return start(expectedServerPublicKeyOrNull, personality, "127.0.0.1");
    }

    /** The same on another loopback address (127.0.0.2, ...): a second push-service host for Herald. */
    public static PushServiceStub start(String expectedServerPublicKeyOrNull, Personality personality, String loopbackAddress) {
        try {
            return new PushServiceStub(expectedServerPublicKeyOrNull, false, Duration.ZERO, personality,
                    InetAddress.getByName(loopbackAddress));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts everything with 201 after the given latency, checks and decrypts nothing (benchmarks). */
    public static PushServiceStub startFast(Duration latency) {
        try {
            return new PushServiceStub(null, true, latency == null ? Duration.ZERO : latency, Personality.GENERIC,
                    InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String origin() {
        return origin;
    }

    public String endpoint(String name) {
        return origin + "/push/" + name;
    }

    /** A new browser subscription whose endpoint is endpoint(name); the stub decrypts with its keys. */
    public TestSubscriber subscriber(String name) {
        TestSubscriber keys = TestSubscriber.create("");
        return register(name, new TestSubscriber(endpoint(name), keys.keys(), keys.auth()));
    }

    public TestSubscriber register(String name, TestSubscriber subscriber) {
        subscribers.put(name, subscriber);
        return subscriber;
    }

    public void respond(String name, Behaviour... sequence) {
        if (sequence.length == 0) {
            throw new IllegalArgumentException("give at least one behaviour");
        }
        scripts.put(name, List.of(sequence));
        scriptPositions.put(name, new AtomicInteger());
    }

    public List<Delivery> deliveries(String name) {
        return List.copyOf(deliveries.getOrDefault(name, List.of()));
    }

    /** Every delivery so far, of all names. */
    public List<Delivery> allDeliveries() {
        return deliveries.values().stream().flatMap(list -> List.copyOf(list).stream()).toList();
    }

    /** Polls until at least count deliveries arrived for name or the timeout passed; returns what arrived. */
    public List<Delivery> awaitDeliveries(String name, int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (deliveries(name).size() < count && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return deliveries(name);
    }

    /** Deliveries accepted so far, across all names. */
    public int totalDeliveries() {
        synchronized (delivered) {
            return delivered[0];
        }
    }

    /** Waits until at least count deliveries (all names) arrived, woken by each one; false at the timeout. */
    public boolean awaitTotalDeliveries(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (delivered) {
            while (delivered[0] < count) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(delivered, left);
            }
            return true;
        }
    }

    /** Waits until at least count requests are being held (behaviour held()); false at the timeout. */
    public boolean awaitHeld(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (holding) {
            while (holding[0] < count) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(holding, left);
            }
            return true;
        }
    }

    /** Lets every held request (and every later one) through. */
    public void release() {
        gate.countDown();
    }

    public List<Rejection> rejections() {
        return List.copyOf(rejections);
    }

    /** Every request to endpoint(name), accepted or not. */
    public int requestCount(String name) {
        AtomicInteger count = requests.get(name);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        closed.countDown();
        gate.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    static final class Refused extends Exception {
        final int status;

        Refused(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    void handle(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/push/".length());
        try {
            requests.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
            if (fast) {
                pause(latency);
                created(exchange, name);
                return;
            }
            String payload;
            try {
                payload = check(exchange, name, body);
                if (DeclarativeMessage.claims(payload)) {
                    // every declarative message Herald sends must parse as the W3C Push API says (links may be relative without herald.public-url)
                    String broken = DeclarativeMessage.problem(payload, true);
                    if (broken != null) {
                        throw new Refused(400, "declarative message: " + broken);
                    }
                }
            } catch (Refused refused) {
                var answer = personality.refusal(refused.status, refused.getMessage());
                rejections.add(new Rejection(name, answer.status(), refused.getMessage(), Instant.now()));
                send(exchange, answer);
                return;
            }
            Behaviour behaviour = next(name);
            if (behaviour.held) {
                synchronized (holding) {
                    holding[0]++;
                    holding.notifyAll();
                }
                gate.await(10, TimeUnit.MINUTES);
            }
            if (behaviour.hang) {
                closed.await(10, TimeUnit.MINUTES);
                return;
            }
            pause(behaviour.delay);
            if (behaviour.status >= 200 && behaviour.status < 300) {
                deliveries.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
                        .add(new Delivery(name, payload, headers(exchange), Instant.now()));
                synchronized (delivered) {
                    delivered[0]++;
                    delivered.notifyAll();
                }
                created(exchange, name);
                return;
            }
            if (behaviour.retryAfterSeconds != null) {
                exchange.getResponseHeaders().add("Retry-After", behaviour.retryAfterSeconds.toString());
            }
            if (behaviour.said != null) {
                send(exchange, personality.says(behaviour.said));
                return;
            }
            answer(exchange, behaviour.status, "scripted answer " + behaviour.status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    Behaviour next(String name) {
        List<Behaviour> script = scripts.get(name);
        if (script == null) {
            return Behaviour.status(201);
        }
        int position = scriptPositions.get(name).getAndIncrement();
        return script.get(Math.min(position, script.size() - 1));
    }

    String check(HttpExchange exchange, String name, byte[] body) throws Refused {
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw new Refused(405, "method " + exchange.getRequestMethod() + " is not POST");
        }
        var headers = exchange.getRequestHeaders();
        checkVapid(headers.getFirst("Authorization"));
        String ttl = headers.getFirst("TTL");
        if (ttl == null || !ttl.matches("\\d{1,10}")) {
            throw new Refused(400, "TTL header missing or not a number of seconds: " + ttl);
        }
        String urgency = headers.getFirst("Urgency");
        if (urgency != null && !URGENCIES.contains(urgency)) {
            throw new Refused(400, "Urgency '" + urgency + "' is not very-low, low, normal or high");
        }
        String topic = headers.getFirst("Topic");
        if (topic != null && !TOPIC.matcher(topic).matches()) {
            throw new Refused(400, "Topic '" + topic + "' is not 1-32 base64url characters");
        }
        if (!"aes128gcm".equalsIgnoreCase(headers.getFirst("Content-Encoding"))) {
            throw new Refused(415, "Content-Encoding must be aes128gcm, got " + headers.getFirst("Content-Encoding"));
        }
        if (body.length > MAX_BODY) {
            throw new Refused(413, "body is larger than " + MAX_BODY + " bytes");
        }
        TestSubscriber subscriber = subscribers.get(name);
        if (subscriber == null) {
            throw new Refused(404, "no subscription registered as " + name);
        }
        try {
            return Rfc8291Decryptor.decrypt(body, subscriber).text();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Refused(400, "cannot decrypt the body: " + e);
        }
    }

    void checkVapid(String authorization) throws Refused {
        if (authorization == null) {
            throw new Refused(401, "no Authorization header");
        }
        Matcher matcher = VAPID.matcher(authorization.strip());
        if (!matcher.matches()) {
            throw new Refused(401, "Authorization is not the vapid scheme: " + authorization);
        }
        Map<String, String> parameters = new TreeMap<>();
        for (String parameter : matcher.group(1).split(",")) {
            String[] pair = parameter.strip().split("=", 2);
            if (pair.length == 2) {
                parameters.put(pair[0].strip().toLowerCase(Locale.ROOT), pair[1].strip());
            }
        }
        String token = parameters.get("t");
        String key = parameters.get("k");
        if (token == null || key == null) {
            throw new Refused(401, "vapid Authorization needs t and k, got " + parameters.keySet());
        }
        if (expectedServerKey != null && !expectedServerKey.equals(key)) {
            throw new Refused(403, "k is not the application server key this subscription was made with");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new Refused(401, "t is not a JWS compact serialization");
        }
        try {
            JsonObject header = json(parts[0]);
            if (!"ES256".equals(header.getString("alg", null))) {
                throw new Refused(401, "JWT alg must be ES256, got " + header.get("alg"));
            }
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            if (signature.length != 64) {
                throw new Refused(401, "ES256 signature must be r||s of 64 bytes, got " + signature.length);
            }
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(publicKey(Base64.getUrlDecoder().decode(key)));
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(signature)) {
                throw new Refused(401, "JWT signature does not verify with k");
            }
            JsonObject claims = json(parts[1]);
            if (!origin.equals(claims.getString("aud", null))) {
                throw new Refused(401, "aud " + claims.get("aud") + " is not this push service's origin " + origin);
            }
            if (!claims.containsKey("exp") || !(claims.get("exp") instanceof jakarta.json.JsonNumber)) {
                throw new Refused(401, "exp missing");
            }
            long exp = claims.getJsonNumber("exp").longValueExact();
            long now = Instant.now().getEpochSecond();
            if (exp <= now || exp > now + MAX_EXP.toSeconds()) {
                throw new Refused(401, "exp " + exp + " is not within the next 24 hours (now " + now + ")");
            }
            if (!(claims.get("sub") instanceof JsonString sub) || sub.getString().isBlank()) {
                throw new Refused(401, "sub missing");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Refused(401, "malformed VAPID token or key: " + e);
        }
    }

    static JsonObject json(String base64Url) {
        String text = new String(Base64.getUrlDecoder().decode(base64Url), StandardCharsets.UTF_8);
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    static ECPublicKey publicKey(byte[] uncompressed) throws GeneralSecurityException {
        if (uncompressed.length != 65 || uncompressed[0] != 4) {
            throw new GeneralSecurityException("k is not an uncompressed P-256 point");
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC")
                .generatePublic(new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)));
    }

    static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((key, values) -> headers.put(key.toLowerCase(Locale.ROOT), values.get(0)));
        return Map.copyOf(headers);
    }

    void created(HttpExchange exchange, String name) throws IOException {
        exchange.getResponseHeaders().add("Location", endpoint(name) + "/messages/" + UUID.randomUUID());
        exchange.sendResponseHeaders(201, -1);
    }

    static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static void send(HttpExchange exchange, Personality.Answer answer) throws IOException {
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (answer.contentType() == null || answer.body().isEmpty()) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    void pause(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
