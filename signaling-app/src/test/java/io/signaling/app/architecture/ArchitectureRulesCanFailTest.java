package io.signaling.app.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.signaling.adapter.archfixturea.AdapterA;
import io.signaling.adapter.archfixturea.AdapterUsingApp;
import io.signaling.adapter.archfixtureb.AdapterB;
import io.signaling.adapter.archfixtureb.AdapterUsingNimbus;
import io.signaling.adapter.undertow.websocket.archfixture.SpiUsingNative;
import io.signaling.adapter.undertow.jsr.archfixture.JsrUsingNative;
import io.signaling.adapter.undertow.nativews.archfixture.NativeThing;
import io.signaling.app.archfixture.AppThing;
import io.signaling.application.archfixture.SomeService;
import io.signaling.archfixture.cycle.a.CycleA;
import io.signaling.archfixture.cycle.b.CycleB;
import io.signaling.archfixture.outsider.Outsider;
import io.signaling.domain.archfixture.DomainUsingSlf4j;
import io.signaling.embedded.archfixture.EmbeddedUsingApp;
import io.signaling.observability.archfixture.ObservabilityUsingAdapter;
import io.signaling.ports.archfixture.PortUsingAdapter;
import io.signaling.ports.archfixture.PortUsingService;
import io.signaling.ports.archfixture.PortUsingUndertow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that each architecture rule fails on a deliberately bad class set (test fixtures, never
 * shipped), so that a green {@link ArchitectureTest} means something.
 */
class ArchitectureRulesCanFailTest {

    private static final JavaClasses FIXTURES = new ClassFileImporter().importClasses(
            DomainUsingSlf4j.class, PortUsingUndertow.class, PortUsingService.class, PortUsingAdapter.class,
            SomeService.class, AdapterA.class, AdapterB.class, AdapterUsingApp.class, AppThing.class,
            ObservabilityUsingAdapter.class, Outsider.class, CycleA.class, CycleB.class,
            JsrUsingNative.class, NativeThing.class, SpiUsingNative.class, EmbeddedUsingApp.class,
            AdapterUsingNimbus.class);

    @Test
    void anotherAdapterImportingNimbusFails() {
        assertViolates(ArchitectureRules.JOSE_ONLY_IN_THE_JWT_ADAPTER, AdapterUsingNimbus.class);
    }

    @Test
    void domainImportingAFrameworkFails() {
        assertViolates(ArchitectureRules.DOMAIN_USES_JDK_ONLY, DomainUsingSlf4j.class);
    }

    @Test
    void portImportingUndertowFails() {
        assertViolates(ArchitectureRules.CORE_IS_FRAMEWORK_FREE, PortUsingUndertow.class);
    }

    @Test
    void portImportingAnAdapterFails() {
        assertViolates(ArchitectureRules.CORE_IGNORES_ADAPTERS_AND_APP, PortUsingAdapter.class);
    }

    @Test
    void portImportingAServiceFails() {
        assertViolates(ArchitectureRules.PORTS_NEVER_IMPORT_SERVICES, PortUsingService.class);
    }

    @Test
    void aServiceOutsideTheApplicationModuleFails() {
        // The fixture is compiled into this module's test classes, not signaling-application.
        assertViolates(ArchitectureRules.SERVICES_LIVE_IN_THE_APPLICATION_MODULE, SomeService.class);
    }

    @Test
    void aPortOutsideThePortsModuleFails() {
        assertViolates(ArchitectureRules.PORTS_LIVE_IN_THE_PORTS_MODULE, PortUsingService.class);
    }

    @Test
    void adapterImportingAnotherAdapterFails() {
        assertViolates(ArchitectureRules.ADAPTERS_ARE_INDEPENDENT, AdapterA.class);
    }

    @Test
    void oneWebSocketFlavourImportingTheOtherFails() {
        assertViolates(ArchitectureRules.WEBSOCKET_FLAVOURS_ARE_INDEPENDENT, JsrUsingNative.class);
    }

    @Test
    void undertowSpiImportingAFlavourStackFails() {
        assertViolates(ArchitectureRules.UNDERTOW_SPI_NEEDS_NO_FLAVOUR, SpiUsingNative.class);
    }

    @Test
    void adapterImportingTheAppFails() {
        assertViolates(ArchitectureRules.ADAPTERS_IGNORE_APP_AND_OBSERVABILITY, AdapterUsingApp.class);
    }

    @Test
    void observabilityImportingAnAdapterFails() {
        assertViolates(ArchitectureRules.OBSERVABILITY_IGNORES_OTHER_ADAPTERS, ObservabilityUsingAdapter.class);
    }

    @Test
    void nonAppClassTouchingAnAdapterFails() {
        assertViolates(ArchitectureRules.ONLY_APP_TOUCHES_ADAPTERS, Outsider.class);
    }

    @Test
    void embeddedImportingTheAppFails() {
        assertViolates(ArchitectureRules.EMBEDDED_IGNORES_APP, EmbeddedUsingApp.class);
    }

    @Test
    void packageCycleFails() {
        assertViolates(ArchitectureRules.NO_PACKAGE_CYCLES, CycleA.class);
    }

    private static void assertViolates(ArchRule rule, Class<?> offender) {
        EvaluationResult result = rule.evaluate(FIXTURES);
        assertThat(result.hasViolation()).as("rule '%s' must fail on the fixtures", rule.getDescription()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .as("the failure names the offending class")
                .anyMatch(line -> line.contains(offender.getName()));
    }
}
