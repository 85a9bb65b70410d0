package io.signaling.app.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The dependency rules of the hexagon, shared by the test that checks the shipped code and the
 * test that proves each rule can fail on a deliberately bad class set.
 */
final class ArchitectureRules {

    static final String DOMAIN = "io.signaling.domain..";
    static final String PORTS = "io.signaling.ports..";
    static final String SERVICES = "io.signaling.application..";
    static final String APP = "io.signaling.app..";
    static final String ADAPTERS = "io.signaling.adapter..";
    static final String OBSERVABILITY = "io.signaling.observability..";
    /** The second composition root, for hosts that embed signaling: it wires adapters like the app. */
    static final String EMBEDDED = "io.signaling.embedded..";
    // The three undertow modules are one adapter family (one slice below); within it, the two
    // WebSocket flavours are alternatives chosen at build time, so neither may need the other.
    static final String UNDERTOW_SPI = "io.signaling.adapter.undertow";
    static final String UNDERTOW_SPI_SUPPORT = "io.signaling.adapter.undertow.websocket..";
    static final String UNDERTOW_JSR = "io.signaling.adapter.undertow.jsr..";
    static final String UNDERTOW_NATIVE = "io.signaling.adapter.undertow.nativews..";

    static final String[] FRAMEWORKS = {
        "io.undertow..", "org.xnio..", "jakarta..", "javax.websocket..", "org.slf4j..", "ch.qos.logback..",
        "io.micrometer..", "io.prometheus..", "io.opentelemetry..", "com.fasterxml.jackson..",
        "tools.jackson..", "org.apache.logging..", "redis.clients..", "io.lettuce..", "com.nimbusds..",
    };

    /** The one module that may parse and verify JOSE objects. */
    static final String JWT_ADAPTER = "io.signaling.adapter.jwt..";

    static final ArchRule DOMAIN_USES_JDK_ONLY = noClasses()
            .that().resideInAPackage(DOMAIN)
            .should().dependOnClassesThat().resideOutsideOfPackages("java..", DOMAIN)
            .as("the domain depends on java.* only");

    static final ArchRule CORE_IS_FRAMEWORK_FREE = noClasses()
            .that().resideInAnyPackage(PORTS, SERVICES)
            .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
            .as("ports and application services import no framework");

    static final ArchRule CORE_IGNORES_ADAPTERS_AND_APP = noClasses()
            .that().resideInAnyPackage(DOMAIN, PORTS, SERVICES)
            .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS, OBSERVABILITY, APP, EMBEDDED)
            .as("domain, ports and services never import an adapter or the app");

    static final ArchRule PORTS_NEVER_IMPORT_SERVICES = noClasses()
            .that().resideInAPackage(PORTS)
            .should().dependOnClassesThat().resideInAPackage(SERVICES)
            .as("ports never import application services");

    // A reader looking for the use cases opens signaling-application, for an interface
    // signaling-ports: a class that drifts into the other module (same package name, wrong jar)
    // breaks that map without breaking any import rule.
    static final ArchRule SERVICES_LIVE_IN_THE_APPLICATION_MODULE = classes()
            .that().resideInAPackage(SERVICES)
            .should(comeFromModule("signaling-application"))
            .as("application services live in the signaling-application module");

    static final ArchRule PORTS_LIVE_IN_THE_PORTS_MODULE = classes()
            .that().resideInAPackage(PORTS)
            .should(comeFromModule("signaling-ports"))
            .as("ports live in the signaling-ports module");

    static final ArchRule ADAPTERS_ARE_INDEPENDENT = slices()
            .matching("io.signaling.adapter.(*)..")
            .should().notDependOnEachOther()
            .as("an adapter module never imports another adapter module");

    static final ArchRule WEBSOCKET_FLAVOURS_ARE_INDEPENDENT = CompositeArchRule
            .of(noClasses().that().resideInAPackage(UNDERTOW_JSR)
                    .should().dependOnClassesThat().resideInAPackage(UNDERTOW_NATIVE))
            .and(noClasses().that().resideInAPackage(UNDERTOW_NATIVE)
                    .should().dependOnClassesThat().resideInAPackage(UNDERTOW_JSR))
            .as("the jsr and native WebSocket adapter modules never import each other");

    static final ArchRule UNDERTOW_SPI_NEEDS_NO_FLAVOUR = noClasses()
            .that().resideInAnyPackage(UNDERTOW_SPI, UNDERTOW_SPI_SUPPORT)
            .should().dependOnClassesThat().resideInAnyPackage(UNDERTOW_JSR, UNDERTOW_NATIVE, "jakarta..",
                    "io.undertow.servlet..", "io.undertow.websockets.jsr..")
            .as("the undertow base module (HTTP, WebSocket SPI and its support) needs neither flavour nor the servlet stack");

    static final ArchRule ADAPTERS_IGNORE_APP_AND_OBSERVABILITY = noClasses()
            .that().resideInAPackage(ADAPTERS)
            .should().dependOnClassesThat().resideInAnyPackage(APP, EMBEDDED, OBSERVABILITY)
            .as("adapters never import the app or the observability adapters");

    static final ArchRule OBSERVABILITY_IGNORES_OTHER_ADAPTERS = noClasses()
            .that().resideInAPackage(OBSERVABILITY)
            .should().dependOnClassesThat().resideInAnyPackage(APP, EMBEDDED, ADAPTERS)
            .as("the observability adapters never import another adapter or the app");

    static final ArchRule ONLY_APP_TOUCHES_ADAPTERS = noClasses()
            .that().resideOutsideOfPackages(APP, EMBEDDED, ADAPTERS, OBSERVABILITY)
            .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS, OBSERVABILITY)
            .as("only the app touches adapters");

    static final ArchRule EMBEDDED_IGNORES_APP = noClasses()
            .that().resideInAPackage(EMBEDDED)
            .should().dependOnClassesThat().resideInAPackage(APP)
            .as("the embedding API never imports the launcher");

    static final ArchRule JOSE_ONLY_IN_THE_JWT_ADAPTER = noClasses()
            .that().resideOutsideOfPackages(JWT_ADAPTER)
            .should().dependOnClassesThat().resideInAPackage("com.nimbusds..")
            .as("only the jwt adapter (signaling-adapters-jwt) imports nimbus-jose-jwt");

    static final ArchRule NO_PACKAGE_CYCLES = slices()
            .matching("io.signaling.(**)")
            .should().beFreeOfCycles()
            .as("no package cycles");

    /**
     * The class file sits in the named module: its {@code target/classes} in the reactor, or its
     * jar ({@code <module>-<version>.jar}) when the module comes from a repository.
     */
    private static ArchCondition<JavaClass> comeFromModule(String module) {
        return new ArchCondition<>("come from module " + module) {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String where = item.getSource().map(s -> s.getUri().toString()).orElse("<unknown>");
                boolean ok = where.contains("/" + module + "/target/classes/")
                        || where.contains("/" + module + "-") && where.contains(".jar!");
                events.add(new SimpleConditionEvent(item, ok,
                        item.getName() + " is loaded from " + where + ", not from " + module));
            }
        };
    }

    private ArchitectureRules() {
    }
}
