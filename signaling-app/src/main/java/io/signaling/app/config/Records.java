package io.signaling.app.config;

import java.lang.reflect.InvocationTargetException;

/** Reflection on the settings records, kept to the two operations binding and rendering need. */
final class Records {

    private Records() {
    }

    static <R extends Record> R construct(Class<R> type, Class<?>[] parameterTypes, Object[] args) {
        try {
            return type.getDeclaredConstructor(parameterTypes).newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    static Object component(Record record, String name) {
        try {
            return record.getClass().getMethod(name).invoke(record);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no component " + name + " in " + record.getClass().getName(), e);
        }
    }
}
