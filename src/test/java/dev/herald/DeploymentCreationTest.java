package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.fanout.control.Worker;
import dev.herald.push.control.Dispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.interceptor.Interceptor;
import org.junit.jupiter.api.Test;

/**
 * The "created at deployment" rule, enforced. On TomEE 9 a CDI bean that is first created on a
 * managed-executor or managed-thread-factory thread gets none of the application's MicroProfile
 * Config: every int setting came out 0 (a semaphore of 0 permits, and notify never finished). So
 * every @ApplicationScoped bean with a @ConfigProperty field is created on the deploying thread,
 * by observing @Initialized(ApplicationScoped.class). The check is strict: it asks for the
 * observer even when only request threads use the bean today, because nothing stops the delivery
 * loop from calling it tomorrow.
 *
 * No exemption for JAX-RS providers. The only ones (security/boundary BearerFilter, CorsFilter,
 * RateLimitFilter) are @ApplicationScoped, so each is one instance for the whole application, not
 * one per request; and a provider without a scope is a singleton too (Jakarta REST, provider
 * lifecycle). None of them is created per request, so the rule applies to them as to any bean.
 */
class DeploymentCreationTest {

    @Test
    void everyApplicationScopedBeanWithSettingsIsCreatedAtDeployment() throws Exception {
        var notCreatedAtDeployment = beans().stream()
                .filter(DeploymentCreationTest::hasSetting)
                .filter(type -> !createdAtDeployment(type))
                .map(Class::getName).sorted().toList();
        assertThat(notCreatedAtDeployment)
                .as("@ApplicationScoped beans with a @ConfigProperty field but no method with an "
                        + "@Observes @Initialized(ApplicationScoped.class) parameter (on TomEE such a bean first made "
                        + "on a managed thread gets no settings)")
                .isEmpty();
    }

    @Test
    void theBeansThatStartThreadsAtDeploymentObserveAfterEveryOtherBean() throws Exception {
        // their threads must find the other beans already made on the deploying thread (TomEE 9); the warm-up's batches
        // run on the Worker's runner threads, so it comes after the Worker
        var starters = java.util.List.of(dev.herald.fanout.control.Worker.class, dev.herald.warmup.control.WarmUp.class);
        assertThat(observerPriority(dev.herald.fanout.control.Worker.class)).isGreaterThanOrEqualTo(Interceptor.Priority.LIBRARY_AFTER);
        assertThat(observerPriority(dev.herald.warmup.control.WarmUp.class))
                .isGreaterThan(observerPriority(dev.herald.fanout.control.Worker.class));
        var earlier = new java.util.ArrayList<String>();
        for (Class<?> bean : beans()) {
            if (!starters.contains(bean) && createdAtDeployment(bean) && observerPriority(bean) >= Interceptor.Priority.LIBRARY_AFTER) {
                earlier.add(bean.getName());
            }
        }
        assertThat(earlier).as("beans observing as late as the Worker, so maybe after it").isEmpty();
    }

    /** The priority of a bean's @Initialized(ApplicationScoped) observer; CDI's default is APPLICATION + 500. */
    static int observerPriority(Class<?> type) {
        return hierarchy(type).flatMap(t -> java.util.Arrays.stream(t.getDeclaredMethods()))
                .flatMap(method -> java.util.Arrays.stream(method.getParameterAnnotations()))
                .filter(DeploymentCreationTest::observesApplicationScopedInitialized)
                .mapToInt(parameter -> java.util.Arrays.stream(parameter).filter(a -> a instanceof jakarta.annotation.Priority)
                        .mapToInt(a -> ((jakarta.annotation.Priority) a).value()).findFirst().orElse(Interceptor.Priority.APPLICATION + 500))
                .max().orElse(Interceptor.Priority.APPLICATION + 500);
    }

    @Test
    void scanFindsTheApplicationScopedBeansOfMain() throws Exception {
        var beans = beans();
        assertThat(beans).contains(Worker.class, Dispatcher.class).hasSizeGreaterThan(20);
        assertThat(beans.stream().filter(DeploymentCreationTest::hasSetting)).hasSizeGreaterThan(10);
    }

    @Test
    void onlyAnObserverOfApplicationScopedInitializedCountsAsCreationAtDeployment() {
        assertThat(createdAtDeployment(Observing.class)).isTrue();
        assertThat(createdAtDeployment(InheritsObserver.class)).isTrue();
        assertThat(createdAtDeployment(ObservingRequests.class)).isFalse();
        assertThat(createdAtDeployment(ObservingAnything.class)).isFalse();
        assertThat(createdAtDeployment(Unobserved.class)).isFalse();
        assertThat(hasSetting(InheritsObserver.class)).isTrue();
        assertThat(hasSetting(Unobserved.class)).isFalse();
    }

    /** Every @ApplicationScoped class compiled from src/main (target/classes), found like OpenApiRoutesTest finds routes. */
    static List<Class<?>> beans() throws IOException, URISyntaxException {
        var classes = Path.of(HeraldApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        var beans = new ArrayList<Class<?>>();
        var unreadable = new ArrayList<String>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (var file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(java.io.File.separatorChar, '.')
                        .replaceAll("\\.class$", "");
                try {
                    Class<?> type = Class.forName(name, false, DeploymentCreationTest.class.getClassLoader());
                    if (type.isAnnotationPresent(ApplicationScoped.class)) {
                        beans.add(type);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    unreadable.add(name + " (" + e + ")");
                }
            }
        }
        // a class the scan cannot read could be a bean that breaks the rule: never skip it silently
        assertThat(unreadable).as("compiled main classes the scan could not read").isEmpty();
        return beans;
    }

    static boolean hasSetting(Class<?> type) {
        return hierarchy(type).flatMap(c -> Arrays.stream(c.getDeclaredFields()))
                .anyMatch(field -> field.isAnnotationPresent(ConfigProperty.class));
    }

    /** CDI inherits observer methods from a bean's superclasses, so they count too. */
    static boolean createdAtDeployment(Class<?> type) {
        return hierarchy(type).flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
                .map(Method::getParameterAnnotations).flatMap(Arrays::stream)
                .anyMatch(DeploymentCreationTest::observesApplicationScopedInitialized);
    }

    static boolean observesApplicationScopedInitialized(Annotation[] parameter) {
        boolean observes = Arrays.stream(parameter).anyMatch(Observes.class::isInstance);
        return observes && Arrays.stream(parameter)
                .anyMatch(a -> a instanceof Initialized initialized && initialized.value() == ApplicationScoped.class);
    }

    static Stream<Class<?>> hierarchy(Class<?> type) {
        return Stream.<Class<?>>iterate(type, c -> c != null && c != Object.class, Class::getSuperclass);
    }

    static class Observing {
        void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        }
    }

    static class InheritsObserver extends Observing {
        @ConfigProperty(name = "herald.example")
        int setting;
    }

    static class ObservingRequests {
        void onRequest(@Observes @Initialized(RequestScoped.class) Object ignored) {
        }
    }

    static class ObservingAnything {
        void onAnything(@Observes Object ignored) {
        }
    }

    static class Unobserved {
        void onStart(@Initialized(ApplicationScoped.class) Object ignored) {
        }
    }
}
