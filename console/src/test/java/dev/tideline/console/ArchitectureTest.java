package dev.tideline.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses CONSOLE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tideline.console");

    @Test
    void thePageAndTheStatusTableNeverTouchAnSdkClient() {
        noClasses()
                .that()
                .resideInAPackage("dev.tideline.console.web..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .check(CONSOLE);
    }

    @Test
    void theConsoleReadsTheServicesOverHttpNeverLinksThem() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.tideline.ingest..",
                        "dev.tideline.processor..",
                        "dev.tideline.archiver..",
                        "dev.tideline.kcl..")
                .check(CONSOLE);
    }

    @Test
    void itWritesNothing() {
        noClasses()
                .should()
                .callMethodWhere(
                        com.tngtech.archunit.base.DescribedPredicate.describe(
                                "a write to Kinesis, DynamoDB or S3",
                                call -> call.getTarget()
                                                .getOwner()
                                                .getPackageName()
                                                .startsWith("software.amazon.awssdk.services")
                                        && call.getTarget()
                                                .getName()
                                                .matches(
                                                        "(put|delete|update|create|batchWrite|transactWrite|copy|restore|merge|split|increase|decrease|register|deregister).*")))
                .check(CONSOLE);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.tideline.console.(*)..")
                .should()
                .beFreeOfCycles()
                .check(CONSOLE);
    }
}
