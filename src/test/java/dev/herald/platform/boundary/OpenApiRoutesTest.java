package dev.herald.platform.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.HeraldApplication;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped OpenAPI document describes exactly the JAX-RS routes of the application:
 * every resource method (found by reflection over the compiled dev.herald classes) is
 * documented, and every documented operation exists.
 */
class OpenApiRoutesTest {

    static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Test
    void documentListsExactlyTheRealRoutes() throws Exception {
        assertThat(documentedRoutes()).isEqualTo(realRoutes());
    }

    @Test
    void everyOperationHasResponsesAndErrorsAreProblemJson() throws IOException {
        Map<String, Object> document = document();
        paths(document).forEach((path, item) -> item.forEach((method, operation) -> {
            if (!OPERATIONS.contains(method)) {
                return;
            }
            assertThat(operation).as(method + " " + path).isInstanceOf(Map.class);
            @SuppressWarnings("unchecked")
            var responses = (Map<String, Object>) ((Map<String, Object>) operation).get("responses");
            assertThat(responses).as("responses of " + method + " " + path).isNotEmpty();
        }));
        assertThat(new Yaml().dump(document.get("components"))).contains("application/problem+json");
    }

    @Test
    void routeNamesAreNormalised() {
        assertThat(OpenApiRoutesTest.join("api", "", "subscriptions/{id: [0-9a-f-]+}/")).isEqualTo("/api/subscriptions/{id}");
        assertThat(OpenApiRoutesTest.join("/api/", "/", "subscribe")).isEqualTo("/api/subscribe");
    }

    static Set<String> realRoutes() throws IOException, URISyntaxException {
        String root = HeraldApplication.class.getAnnotation(ApplicationPath.class).value();
        var classes = java.nio.file.Path.of(HeraldApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        var routes = new TreeSet<String>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
            for (var file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = load(name);
                Path classPath = type == null ? null : type.getAnnotation(Path.class);
                if (classPath == null) {
                    continue;
                }
                for (Method method : type.getMethods()) {
                    String verb = httpMethod(method);
                    if (verb != null) {
                        Path methodPath = method.getAnnotation(Path.class);
                        routes.add(verb + " " + join(root, classPath.value(), methodPath == null ? "" : methodPath.value()));
                    }
                }
            }
        }
        assertThat(routes).as("routes found by reflection").isNotEmpty();
        return routes;
    }

    static Class<?> load(String name) {
        try {
            return Class.forName(name, false, OpenApiRoutesTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    static String httpMethod(Method method) {
        return Arrays.stream(method.getAnnotations())
                .map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                .filter(java.util.Objects::nonNull)
                .map(HttpMethod::value)
                .findFirst().orElse(null);
    }

    static String join(String... parts) {
        String path = "/" + String.join("/", parts);
        path = path.replaceAll("\\{\\s*([^:}\\s]+)\\s*(:[^}]*)?}", "{$1}").replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    static Set<String> documentedRoutes() throws IOException {
        var routes = new TreeSet<String>();
        paths(document()).forEach((path, item) -> item.keySet().stream()
                .filter(OPERATIONS::contains)
                .forEach(method -> routes.add(method.toUpperCase() + " " + path)));
        return routes;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> paths(Map<String, Object> document) {
        return (Map<String, Map<String, Object>>) document.get("paths");
    }

    static Map<String, Object> document() throws IOException {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(OpenApiResource.DOCUMENT)) {
            assertThat(in).as("the shipped " + OpenApiResource.DOCUMENT).isNotNull();
            Map<String, Object> document = new Yaml().load(in);
            assertThat(document.get("openapi").toString()).startsWith("3.");
            return document;
        }
    }
}
