package io.signaling.adapter.undertow;

import io.signaling.ports.http.HttpServer;
import io.signaling.ports.http.Router;
import io.signaling.ports.http.RouterContract;
import io.signaling.ports.http.RunningServer;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The router contract on a real Undertow listener. */
class UndertowRouterTest extends RouterContract {

    @Override
    protected Router newRouter() {
        return UndertowHttp.newRouter();
    }

    @Override
    protected RunningServer start(Router router) throws Exception {
        HttpServer server = UndertowHttp.server().name("router-test").host("127.0.0.1").port(0)
                .ioThreads(1).workerThreads(4).router(router).build();
        server.start();
        return RunningServer.of(URI.create("http://127.0.0.1:" + server.address().getPort()),
                () -> assertThat(server.stop(Duration.ofSeconds(5))).as("server stopped in time").isTrue());
    }
}
