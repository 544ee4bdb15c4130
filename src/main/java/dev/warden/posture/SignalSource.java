package dev.warden.posture;

import java.time.Instant;
import java.util.List;

/**
 * Where posture learns of events other capabilities record on identities (see {@link Signal}): the
 * broker's refused token replays today. The composition root ({@code app.Warden}) supplies it, so
 * posture does not depend on the broker.
 *
 * <p>Contract: as {@link LeakSource} — {@link #signals} returns the events at or before {@code asOf}
 * for the given identities only, reading on its own (it may be called inside an evaluation's
 * transaction), in memory bounded by what it returns.
 */
public interface SignalSource {
    /** Returns no events: posture without the broker. */
    SignalSource NONE = (identityIds, asOf) -> List.of();

    List<Signal> signals(List<String> identityIds, Instant asOf);
}
