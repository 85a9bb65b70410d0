package io.signaling.ports.log;

enum NoopLogger implements Logger, LoggerFactory {
    INSTANCE;

    @Override
    public boolean isEnabled(Level level) {
        return false;
    }

    @Override
    public void log(Level level, String message, Throwable error, Object[] keyValues) {
    }

    @Override
    public Logger with(Object... keyValues) {
        return this;
    }

    @Override
    public Logger logger(String name) {
        return this;
    }
}
