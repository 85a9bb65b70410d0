package io.signaling.app.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the shipped classes of every module (this module's test classpath sees them all). */
class ArchitectureTest {

    private static JavaClasses shipped;

    @BeforeAll
    static void importShippedClasses() {
        shipped = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TEST_FIXTURES)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.signaling");
    }

    @Test
    void importsEveryModule() {
        // A rule over an empty import passes vacuously; make sure each module is really seen.
        assertThat(shipped.stream().map(c -> c.getPackageName()))
                .anyMatch(p -> p.startsWith("io.signaling.domain"))
                .anyMatch(p -> p.startsWith("io.signaling.ports"))
                .anyMatch(p -> p.startsWith("io.signaling.application"))
                .anyMatch(p -> p.startsWith("io.signaling.app"))
                .anyMatch(p -> p.startsWith("io.signaling.embedded"))
                .anyMatch(p -> p.startsWith("io.signaling.adapter.jwt"));
    }

    @Test
    void joseOnlyInTheJwtAdapter() {
        check(ArchitectureRules.JOSE_ONLY_IN_THE_JWT_ADAPTER);
    }

    @Test
    void domainUsesJdkOnly() {
        check(ArchitectureRules.DOMAIN_USES_JDK_ONLY);
    }

    @Test
    void coreIsFrameworkFree() {
        check(ArchitectureRules.CORE_IS_FRAMEWORK_FREE);
    }

    @Test
    void coreIgnoresAdaptersAndApp() {
        check(ArchitectureRules.CORE_IGNORES_ADAPTERS_AND_APP);
    }

    @Test
    void portsNeverImportServices() {
        check(ArchitectureRules.PORTS_NEVER_IMPORT_SERVICES);
    }

    @Test
    void servicesLiveInTheApplicationModule() {
        check(ArchitectureRules.SERVICES_LIVE_IN_THE_APPLICATION_MODULE);
    }

    @Test
    void portsLiveInThePortsModule() {
        check(ArchitectureRules.PORTS_LIVE_IN_THE_PORTS_MODULE);
    }

    @Test
    void adaptersAreIndependent() {
        check(ArchitectureRules.ADAPTERS_ARE_INDEPENDENT.allowEmptyShould(true));
    }

    @Test
    void webSocketFlavoursAreIndependent() {
        // Only the flavour the build chose is on this classpath: the other side may be empty.
        check(ArchitectureRules.WEBSOCKET_FLAVOURS_ARE_INDEPENDENT.allowEmptyShould(true));
    }

    @Test
    void undertowSpiNeedsNoFlavour() {
        check(ArchitectureRules.UNDERTOW_SPI_NEEDS_NO_FLAVOUR);
    }

    @Test
    void adaptersIgnoreAppAndObservability() {
        check(ArchitectureRules.ADAPTERS_IGNORE_APP_AND_OBSERVABILITY.allowEmptyShould(true));
    }

    @Test
    void observabilityIgnoresOtherAdapters() {
        check(ArchitectureRules.OBSERVABILITY_IGNORES_OTHER_ADAPTERS.allowEmptyShould(true));
    }

    @Test
    void onlyAppTouchesAdapters() {
        check(ArchitectureRules.ONLY_APP_TOUCHES_ADAPTERS);
    }

    @Test
    void embeddedIgnoresApp() {
        check(ArchitectureRules.EMBEDDED_IGNORES_APP);
    }

    @Test
    void noPackageCycles() {
        check(ArchitectureRules.NO_PACKAGE_CYCLES);
    }

    private static void check(ArchRule rule) {
        rule.check(shipped);
    }
}
