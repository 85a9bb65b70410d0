package io.signaling.app.process;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server processes a test started, ended after the test (after the class's own
 * {@code @AfterEach} methods, as JUnit runs extension callbacks last), so none outlives it.
 * Register with {@code @RegisterExtension final}.
 */
final class StartedProcesses implements AfterEachCallback {

    private final List<AppProcess> processes = new ArrayList<>();

    /** {@code process}, to be ended after the test. */
    AppProcess track(AppProcess process) {
        synchronized (processes) {
            processes.add(process);
        }
        return process;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<AppProcess> started;
        synchronized (processes) {
            started = new ArrayList<>(processes);
            processes.clear();
        }
        started.forEach(AppProcess::close);
    }
}
