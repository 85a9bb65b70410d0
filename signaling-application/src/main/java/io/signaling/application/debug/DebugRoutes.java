package io.signaling.application.debug;

import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Json;
import io.signaling.ports.http.Router;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.MonitorInfo;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@value #RUNTIME_PATH}: a JSON snapshot of the process for an operator (uptime, JVM, memory,
 * GC, threads, CPUs, load, file descriptors, build, lifecycle state, active requests).
 * {@value #THREADS_PATH}: a full thread dump as text, with locks and every frame (unlike
 * {@link ThreadInfo#toString()}, which cuts stacks at eight frames).
 *
 * <p>Both reveal internals: register them on the admin router only. Values a platform cannot
 * give (load average on Windows, file descriptors outside Unix) are {@code null}.
 *
 * <p>Thread-safety: the handlers are stateless and safe for concurrent requests.
 */
public final class DebugRoutes {

    public static final String RUNTIME_PATH = "/debug/runtime";
    public static final String THREADS_PATH = "/debug/threads";

    private final Supplier<LifecycleState> lifecycleState;
    private final LongSupplier activeRequests;
    private final String buildVersion;
    private final String buildCommit;

    /**
     * @param lifecycleState the node's state, e.g. {@code lifecycleManager::state}
     * @param activeRequests requests in flight, e.g. {@code standardMiddleware.activeRequests()}
     * @param buildVersion   the version of the running build
     * @param buildCommit    the commit it was built from
     */
    public DebugRoutes(Supplier<LifecycleState> lifecycleState, LongSupplier activeRequests,
                       String buildVersion, String buildCommit) {
        this.lifecycleState = Objects.requireNonNull(lifecycleState, "lifecycleState");
        this.activeRequests = Objects.requireNonNull(activeRequests, "activeRequests");
        this.buildVersion = Objects.requireNonNull(buildVersion, "buildVersion");
        this.buildCommit = Objects.requireNonNull(buildCommit, "buildCommit");
    }

    /** Registers {@code GET} {@value #RUNTIME_PATH} and {@value #THREADS_PATH}. */
    public Router register(Router router) {
        Objects.requireNonNull(router, "router");
        return router.get(RUNTIME_PATH, runtime()).get(THREADS_PATH, threads());
    }

    public HttpHandler runtime() {
        return exchange -> {
            exchange.status(200);
            exchange.responseHeader("Cache-Control", "no-store");
            exchange.send("application/json", runtimeJson());
        };
    }

    public HttpHandler threads() {
        return exchange -> {
            exchange.status(200);
            exchange.responseHeader("Cache-Control", "no-store");
            exchange.send("text/plain; charset=utf-8", threadDump());
        };
    }

    String runtimeJson() {
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

        StringBuilder sb = new StringBuilder(1024);
        sb.append('{');
        field(sb, "timestamp", Instant.now().toString()).append(',');
        sb.append("\"uptimeMs\":").append(runtime.getUptime()).append(',');
        field(sb, "startTime", Instant.ofEpochMilli(runtime.getStartTime()).toString()).append(',');

        sb.append("\"jvm\":{");
        field(sb, "version", Runtime.version().toString()).append(',');
        field(sb, "vendor", System.getProperty("java.vm.vendor")).append(',');
        field(sb, "name", runtime.getVmName()).append(',');
        sb.append("\"pid\":").append(ProcessHandle.current().pid());
        sb.append("},");

        sb.append("\"memory\":{");
        usage(sb, "heap", memory.getHeapMemoryUsage()).append(',');
        usage(sb, "nonHeap", memory.getNonHeapMemoryUsage());
        sb.append("},");

        sb.append("\"gc\":[");
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        for (int i = 0; i < collectors.size(); i++) {
            GarbageCollectorMXBean gc = collectors.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append('{');
            field(sb, "name", gc.getName()).append(',');
            sb.append("\"count\":").append(gc.getCollectionCount()).append(',');
            sb.append("\"timeMs\":").append(gc.getCollectionTime());
            sb.append('}');
        }
        sb.append("],");

        sb.append("\"threads\":{");
        sb.append("\"live\":").append(threads.getThreadCount()).append(',');
        sb.append("\"daemon\":").append(threads.getDaemonThreadCount()).append(',');
        sb.append("\"peak\":").append(threads.getPeakThreadCount()).append(',');
        sb.append("\"totalStarted\":").append(threads.getTotalStartedThreadCount());
        sb.append("},");

        sb.append("\"availableProcessors\":").append(Runtime.getRuntime().availableProcessors()).append(',');
        double load = os.getSystemLoadAverage();
        sb.append("\"systemLoadAverage\":").append(load < 0 ? "null" : Double.toString(load)).append(',');
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            sb.append("\"openFileDescriptors\":").append(unix.getOpenFileDescriptorCount()).append(',');
            sb.append("\"maxFileDescriptors\":").append(unix.getMaxFileDescriptorCount()).append(',');
        } else {
            sb.append("\"openFileDescriptors\":null,\"maxFileDescriptors\":null,");
        }

        sb.append("\"build\":{");
        field(sb, "version", buildVersion).append(',');
        field(sb, "commit", buildCommit);
        sb.append("},");

        field(sb, "lifecycleState", lifecycleState.get().name()).append(',');
        sb.append("\"activeRequests\":").append(activeRequests.getAsLong());
        return sb.append('}').toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        Json.quote(sb, name).append(':');
        return Json.quote(sb, value);
    }

    private static StringBuilder usage(StringBuilder sb, String name, MemoryUsage usage) {
        Json.quote(sb, name).append(":{");
        sb.append("\"usedBytes\":").append(usage.getUsed()).append(',');
        sb.append("\"committedBytes\":").append(usage.getCommitted()).append(',');
        // -1 means undefined in the MXBean; JSON says it with null.
        sb.append("\"maxBytes\":").append(usage.getMax() < 0 ? "null" : Long.toString(usage.getMax()));
        return sb.append('}');
    }

    String threadDump() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ThreadInfo[] infos = threads.dumpAllThreads(threads.isObjectMonitorUsageSupported(),
                threads.isSynchronizerUsageSupported());
        StringBuilder sb = new StringBuilder(16 * 1024);
        sb.append("Thread dump at ").append(Instant.now()).append(" (").append(infos.length).append(" threads)\n\n");
        for (ThreadInfo info : infos) {
            appendThread(sb, info);
        }
        long[] deadlocked = threads.findDeadlockedThreads();
        if (deadlocked != null && deadlocked.length > 0) {
            sb.append("DEADLOCK among thread ids:");
            for (long id : deadlocked) {
                sb.append(' ').append(id);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void appendThread(StringBuilder sb, ThreadInfo info) {
        sb.append('"').append(info.getThreadName()).append('"')
                .append(" #").append(info.getThreadId())
                .append(info.isDaemon() ? " daemon" : "")
                .append(" prio=").append(info.getPriority())
                .append(' ').append(info.getThreadState());
        if (info.getLockName() != null) {
            sb.append(" on ").append(info.getLockName());
            if (info.getLockOwnerName() != null) {
                sb.append(" owned by \"").append(info.getLockOwnerName()).append("\" #").append(info.getLockOwnerId());
            }
        }
        sb.append('\n');
        StackTraceElement[] stack = info.getStackTrace();
        MonitorInfo[] monitors = info.getLockedMonitors();
        for (int i = 0; i < stack.length; i++) {
            sb.append("\tat ").append(stack[i]).append('\n');
            for (MonitorInfo monitor : monitors) {
                if (monitor.getLockedStackDepth() == i) {
                    sb.append("\t- locked ").append(monitor).append('\n');
                }
            }
        }
        LockInfo[] synchronizers = info.getLockedSynchronizers();
        if (synchronizers.length > 0) {
            sb.append("\tLocked synchronizers:\n");
            for (LockInfo lock : synchronizers) {
                sb.append("\t- ").append(lock).append('\n');
            }
        }
        sb.append('\n');
    }
}
