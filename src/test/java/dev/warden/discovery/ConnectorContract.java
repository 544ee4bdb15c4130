package dev.warden.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityRecord;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Connector} keeps; each connector's test class extends this and supplies
 * a valid sample. It checks: the connector is registered; a sample gives identities whose natural
 * keys are unique, all inside the declared coverage's source; the same input gives the same
 * discovery; garbage, truncated and empty inputs fail with a {@link InputException} naming the
 * input and never a different exception type.
 */
public abstract class ConnectorContract {
    /** The connector under test. */
    protected abstract Connector connector();

    /** A small valid sample in the source's native format. */
    protected abstract List<Input> sample();

    /** Options for the sample (cluster name, ...). */
    protected ImportOptions options() {
        return ImportOptions.NONE;
    }

    @Test
    void is_registered_as_a_built_in() {
        assertThat(Connectors.builtIn(java.time.Clock.systemUTC())
                        .get(connector().name()))
                .isPresent();
        assertThat(connector().description()).isNotBlank();
    }

    @Test
    void a_sample_gives_identities_with_unique_keys_inside_its_coverage() {
        Discovery d = connector().discover(sample(), options());
        assertThat(d.records()).isNotEmpty();
        Set<String> keys = new HashSet<>();
        for (IdentityRecord r : d.records()) {
            Identity i = r.identity();
            assertThat(i.id()).as("connectors never assign ids").isNull();
            assertThat(keys.add(i.source() + "|" + i.externalId()))
                    .as("duplicate %s", i.externalId())
                    .isTrue();
        }
        for (Coverage c : d.coverage()) {
            assertThat(d.records())
                    .as("coverage %s names a source the import returned", c)
                    .anySatisfy(r -> assertThat(r.identity().source().type()).isEqualTo(c.sourceType()));
        }
    }

    @Test
    void the_same_input_gives_the_same_discovery() {
        Discovery a = connector().discover(sample(), options());
        Discovery b = connector().discover(sample(), options());
        assertThat(b).isEqualTo(a);
    }

    @Test
    void garbage_truncated_and_empty_inputs_fail_naming_the_input() {
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);
        for (Input bad : List.of(
                Input.content("garbage.bin", garbage),
                Input.content("empty.json", new byte[0]),
                Input.content("truncated.json", "{\"a\": [1, 2".getBytes(StandardCharsets.UTF_8)))) {
            assertThatThrownBy(() -> connector().discover(List.of(bad), options()))
                    .isInstanceOf(InputException.class)
                    .hasMessageContaining(bad.name());
        }
    }
}
