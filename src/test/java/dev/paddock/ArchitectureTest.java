package dev.paddock;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the core free of UI, JMX and CLI concerns, and console output inside the CLI. */
class ArchitectureTest {
    private static final String[] CORE = {
        "dev.paddock.core..",
        "dev.paddock.config..",
        "dev.paddock.preset..",
        "dev.paddock.model..",
        "dev.paddock.supervisor.."
    };
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.paddock");

    @Test
    void coreDoesNotUseGuiJmxOrPicocli() {
        noClasses()
                .that()
                .resideInAnyPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "javax.swing..", "java.awt..", "javax.management..", "picocli..", "dorkbox..", "com.formdev..")
                .check(classes);
    }

    @Test
    void coreDoesNotDependOnTheOuterLayers() {
        noClasses()
                .that()
                .resideInAnyPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.paddock.app..",
                        "dev.paddock.cli..",
                        "dev.paddock.jmx..",
                        "dev.paddock.tray..",
                        "dev.paddock.gateway..")
                .check(classes);
    }

    @Test
    void onlyTheCliWritesToTheConsole() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.paddock.cli..")
                .should()
                .accessField(System.class, "out")
                .check(classes);
    }
}
