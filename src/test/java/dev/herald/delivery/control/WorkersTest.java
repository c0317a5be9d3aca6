package dev.herald.delivery.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkersTest {

    /** A ManagedExecutorService whose execute() goes to the given pool (null: rejects everything). */
    static ManagedExecutorService executor(ExecutorService pool, AtomicInteger submitted) {
        return (ManagedExecutorService) Proxy.newProxyInstance(WorkersTest.class.getClassLoader(),
                new Class<?>[] {ManagedExecutorService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("execute")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    submitted.incrementAndGet();
                    if (pool == null) {
                        throw new RejectedExecutionException("saturated");
                    }
                    pool.execute((Runnable) args[0]);
                    return null;
                });
    }

    static Workers workers(ManagedExecutorService executor, int size) {
        var workers = new Workers();
        workers.executor = executor;
        workers.configured = size;
        workers.init();
        return workers;
    }

    @Test
    void manyStepsRunOnAtMostTheConfiguredWorkerTasks() throws Exception {
        var pool = Executors.newCachedThreadPool();
        var submitted = new AtomicInteger();
        var workers = workers(executor(pool, submitted), 2);
        int steps = 20_000;
        var done = new CountDownLatch(steps);
        var concurrent = new AtomicInteger();
        var maxConcurrent = new AtomicInteger();
        for (int i = 0; i < steps; i++) {
            workers.submit(() -> {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                concurrent.decrementAndGet();
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(maxConcurrent.get()).isLessThanOrEqualTo(2);
        assertThat(submitted.get()).as("managed tasks started").isLessThan(100);
        pool.shutdownNow();
    }

    @Test
    void whenTheContainerRejectsAndNoWorkerRunsTheCallerRunsTheSteps() {
        var workers = workers(executor(null, new AtomicInteger()), 2);
        var ran = new AtomicInteger();
        workers.submit(ran::incrementAndGet);
        workers.submit(() -> {
            throw new IllegalStateException("a failing step does not stop the others");
        });
        workers.submit(ran::incrementAndGet);
        assertThat(ran.get()).isEqualTo(2);
        assertThat(workers.queue).isEmpty();
        assertThat(workers.running.get()).isZero();
    }
}
