package dev.warden.posture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Nature;
import dev.warden.inventory.Source;
import dev.warden.posture.checks.BuiltInChecks;
import dev.warden.usage.UsageEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link Check} keeps; each check's test class extends this and supplies records
 * it must fire on and records it must stay silent on (built in the test, shaped as the connectors
 * write them, or imported from the AWS fixtures). Everything runs through the real store and
 * {@link Posture}: the check is registered and declares its risk, NIST subcategories, title and
 * remediation; it fires on every firing sample with evidence and stays silent on every silent one;
 * the same problem keeps its finding id across evaluations; it never throws on sparse records; it
 * never sees people or removed identities.
 */
public abstract class CheckContract {
    @TempDir
    protected Path dir;

    /** The check under test. */
    protected abstract Check check();

    /** Identities (with usage) the check must fire on; external ids distinct. */
    protected abstract List<Sample> firing();

    /** Identities (with usage) the check must stay silent on; external ids distinct. */
    protected abstract List<Sample> silent();

    /** Hook after the samples are loaded (leaks need stored ids). */
    protected void afterLoad(PostureHarness h) {}

    /** One identity and the usage logs say about it. */
    public record Sample(IdentityRecord record, List<UsageEvent> usage) {
        public static Sample of(Build b, UsageEvent... usage) {
            return new Sample(b.build(), Arrays.asList(usage));
        }

        public String externalId() {
            return record.identity().externalId();
        }
    }

    /** A store holding {@code samples}, with their usage ingested. */
    protected PostureHarness harness(List<Sample> samples) {
        PostureHarness h = new PostureHarness(dir);
        h.load(samples.stream().map(Sample::record).toArray(IdentityRecord[]::new));
        List<UsageEvent> events = new ArrayList<>();
        samples.forEach(s -> events.addAll(s.usage()));
        if (!events.isEmpty()) {
            h.usage(events);
        }
        afterLoad(h);
        return h;
    }

    /** This check's findings on the identity with {@code externalId}, evaluated now without writing. */
    protected List<Finding> findings(PostureHarness h, String externalId) {
        return PostureHarness.of(h.view(), check().id(), h.id(externalId));
    }

    /** The single finding of this check on {@code sample}. */
    protected Finding only(Sample sample) {
        try (PostureHarness h = harness(List.of(sample))) {
            List<Finding> f = findings(h, sample.externalId());
            assertThat(f).as("findings of %s", sample.externalId()).hasSize(1);
            return f.get(0);
        }
    }

    protected List<Finding> all(Sample sample) {
        try (PostureHarness h = harness(List.of(sample))) {
            return findings(h, sample.externalId());
        }
    }

    @Test
    void is_a_registered_built_in_with_risk_nist_title_and_remediation() {
        Check c = check();
        assertThat(BuiltInChecks.registry().get(c.id()))
                .hasValueSatisfying(b -> assertThat(b.getClass()).isEqualTo(c.getClass()));
        assertThat(c.id()).matches("(nhi(10|[1-9])|lifecycle)-[a-z0-9-]+");
        assertThat(c.risk()).isNotNull();
        assertThat(c.nist())
                .isNotEmpty()
                .allSatisfy(n -> assertThat(Nist.isKnown(n)).as(n).isTrue());
        assertThat(c.title()).isNotBlank();
        assertThat(c.remediation()).isNotBlank();
    }

    @Test
    void fires_on_every_firing_sample_with_evidence() {
        List<Sample> samples = firing();
        assertThat(samples).isNotEmpty();
        try (PostureHarness h = harness(samples)) {
            List<Finding> view = h.view();
            for (Sample s : samples) {
                List<Finding> mine = PostureHarness.of(view, check().id(), h.id(s.externalId()));
                assertThat(mine)
                        .as("%s fires on %s", check().id(), s.externalId())
                        .isNotEmpty();
                for (Finding f : mine) {
                    assertThat(Finding.isValidId(f.id())).as(f.id()).isTrue();
                    assertThat(f.risk()).isEqualTo(check().risk());
                    assertThat(f.nist()).isEqualTo(check().nist());
                    assertThat(f.evidence()).as("evidence of %s", f.id()).isNotEmpty();
                    assertThat(f.summary()).isNotBlank();
                    assertThat(f.remediation()).isEqualTo(check().remediation());
                    assertThat(f.identity().externalId()).isEqualTo(s.externalId());
                    assertThat(f.status()).isEqualTo(FindingStatus.OPEN);
                }
            }
        }
    }

    @Test
    void stays_silent_on_every_silent_sample() {
        List<Sample> samples = silent();
        assertThat(samples).isNotEmpty();
        try (PostureHarness h = harness(samples)) {
            List<Finding> view = h.view();
            for (Sample s : samples) {
                assertThat(PostureHarness.of(view, check().id(), h.id(s.externalId())))
                        .as("%s stays silent on %s", check().id(), s.externalId())
                        .isEmpty();
            }
        }
    }

    @Test
    void the_same_problem_keeps_its_id_across_evaluations() {
        try (PostureHarness h = harness(firing())) {
            h.evaluate();
            Set<String> first = ids(h);
            assertThat(first).isNotEmpty();
            h.clock.advance(Duration.ofHours(1));
            Evaluation second = h.evaluate();
            assertThat(ids(h)).isEqualTo(first);
            assertThat(second.counts().stream()
                            .filter(c -> c.check().equals(check().id()))
                            .mapToLong(Evaluation.Count::count)
                            .sum())
                    .isEqualTo(first.size());
            assertThat(h.stored().stream()
                            .filter(f -> f.checkId().equals(check().id()))
                            .allMatch(f -> f.status() == FindingStatus.OPEN))
                    .isTrue();
        }
    }

    private Set<String> ids(PostureHarness h) {
        Set<String> out = new HashSet<>();
        h.stored().stream()
                .filter(f -> f.checkId().equals(check().id()) && f.status() != FindingStatus.RESOLVED)
                .forEach(f -> out.add(f.id()));
        return out;
    }

    @Test
    void never_throws_on_a_sparse_record() {
        for (IdentityKind kind : IdentityKind.values()) {
            for (String type : List.of("aws", "kubernetes", "github", "postgresql", "certificate", "saas")) {
                Identity bare = Identity.builder(kind, "x", "x", Source.of(type, ""))
                        .id("0190a3b2-0000-7000-8000-000000000001")
                        .seen(Instant.EPOCH)
                        .attributes(Map.of("lastUsedAt", "not a date", "key_size", "many", "usedByWorkloads", "0"))
                        .build();
                List<Credential> credentials = new ArrayList<>();
                for (CredentialKind ck : CredentialKind.values()) {
                    credentials.add(new Credential(
                            "0190a3b2-0000-7000-8000-00000000000" + ck.ordinal(),
                            bare.id(),
                            ck,
                            "c-" + ck.value(),
                            null,
                            null,
                            null,
                            null,
                            null,
                            CredentialStatus.ACTIVE,
                            Map.of()));
                }
                IdentityRecord r = IdentityRecord.whole(bare, credentials, List.of(), List.of());
                assertThatCode(() ->
                                check().evaluate(Subject.of(r, PosturePolicy.defaults(), PostureHarness.NOW), d -> {}))
                        .as("%s on a bare %s from %s", check().id(), kind, type)
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void never_sees_people_or_removed_identities() {
        List<Sample> people = new ArrayList<>();
        int n = 0;
        for (Sample s : firing()) {
            Identity i = s.record().identity();
            for (boolean human : new boolean[] {true, false}) {
                Identity copy = new Identity(
                        null,
                        i.kind(),
                        i.name() + "-" + n,
                        i.externalId() + "-" + n++,
                        i.source(),
                        i.environment(),
                        i.businessOwner(),
                        i.technicalOwner(),
                        i.ownershipProvenance(),
                        i.workload(),
                        i.purpose(),
                        human ? i.status() : IdentityStatus.REMOVED,
                        i.thirdPartyVendor(),
                        i.tags(),
                        i.createdAt(),
                        i.firstSeen(),
                        i.lastSeen(),
                        human ? Nature.HUMAN : Nature.MACHINE,
                        human ? "a person" : null,
                        i.attributes(),
                        human ? null : PostureHarness.NOW.minusSeconds(60));
                people.add(new Sample(
                        IdentityRecord.whole(
                                copy,
                                s.record().credentials(),
                                s.record().entitlements(),
                                s.record().trusts()),
                        List.of()));
            }
        }
        try (PostureHarness h = harness(people)) {
            List<Finding> view = h.view();
            assertThat(view.stream().filter(f -> f.checkId().equals(check().id())))
                    .isEmpty();
        }
    }
}
