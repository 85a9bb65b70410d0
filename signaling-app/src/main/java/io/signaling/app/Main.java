package io.signaling.app;

/** Entry point of {@code java -jar signaling-app.jar}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("signaling: wiring pending");
    }
}
