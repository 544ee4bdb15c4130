package dev.warden.posture;

import java.time.Instant;
import java.util.List;

/**
 * Where the NHI2 (Secret Leakage) check learns of leaked secrets: the secret scanner's hits that are
 * linked to inventory identities.
 *
 * <p>The composition root ({@code app.Warden}) supplies the scanner's ledger of recorded scans
 * ({@code ScanLedger.leaksFor}), so posture and the scanner do not know each other. {@link #NONE}
 * returns nothing (posture evaluated without a scanner, as in some tests). Warden does not invent
 * leaks: there is no sample or fake data behind this interface.
 *
 * <p>Contract: {@link #leaks} returns the sightings found at or before {@code asOf} for the given
 * identities only, reading on its own (it may be called inside an evaluation's transaction), in
 * memory bounded by what it returns.
 */
public interface LeakSource {
    /** Returns no leaks: posture without the secret scanner. */
    LeakSource NONE = (identityIds, asOf) -> List.of();

    List<LeakSighting> leaks(List<String> identityIds, Instant asOf);
}
