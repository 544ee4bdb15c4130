package dev.warden;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout ARCHITECTURE.md describes, as rules the build enforces over Warden's main classes:
 * capabilities do not reach up into the adapters (CLI, HTTP) or the composition root, an
 * implementation of a seam does not reach into a sibling implementation, and the top-level
 * packages form no cycle.
 */
class ArchitectureTest {
    /** Seams whose implementations live in sub-packages, one each (STYLE.md). */
    static final List<String> SEAMS_WITH_IMPLEMENTATION_PACKAGES =
            List.of("dev.warden.discovery", "dev.warden.usage", "dev.warden.broker.attest", "dev.warden.broker.issue");

    /** Packages below every capability. */
    static final String[] KERNEL = {"dev.warden.input..", "dev.warden.config.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.warden");
        assertThat(classes.size()).as("main classes imported").isGreaterThan(300);
    }

    @Test
    void the_kernel_depends_on_nothing_above_it() {
        noClasses()
                .that()
                .resideInAnyPackage(KERNEL)
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.warden..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(KERNEL))))
                .because("input and config sit below every capability, so that any of them may use them")
                .check(classes);
    }

    @Test
    void only_the_cli_uses_the_composition_root() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.warden.app..", "dev.warden.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.warden.app..")
                .because("app builds everything; a capability that reaches back into it makes a cycle")
                .check(classes);
    }

    @Test
    void nothing_uses_the_cli() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.warden.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.warden.cli..")
                .check(classes);
    }

    @Test
    void capabilities_do_not_use_the_http_adapter() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.warden.http..", "dev.warden.app..", "dev.warden.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.warden.http..")
                .because("HTTP is a thin adapter over the capabilities' services, never below them")
                .check(classes);
    }

    @Test
    void seam_implementations_do_not_use_their_siblings() {
        for (String seam : SEAMS_WITH_IMPLEMENTATION_PACKAGES) {
            slices().matching(seam + ".(*)..")
                    .namingSlices(seam + ".$1")
                    .should()
                    .notDependOnEachOther()
                    .because("adding or changing one " + seam + " implementation must not touch another")
                    .check(classes);
        }
    }

    @Test
    void top_level_packages_form_no_cycle() {
        slices().matching("dev.warden.(*)..")
                .namingSlices("$1")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }
}
