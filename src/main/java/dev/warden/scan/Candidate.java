package dev.warden.scan;

/**
 * What a rule reports: where its match is in the fragment it was given, and where the secret is
 * inside that match (offsets are half-open, relative to {@link Fragment#text()}).
 */
public record Candidate(int matchStart, int matchEnd, int secretStart, int secretEnd, Confidence confidence) {
    public Candidate {
        if (matchStart < 0
                || matchEnd < matchStart
                || secretStart < matchStart
                || secretEnd > matchEnd
                || secretEnd < secretStart) {
            throw new IllegalArgumentException("candidate offsets out of order: match [" + matchStart + "," + matchEnd
                    + ") secret [" + secretStart + "," + secretEnd + ")");
        }
        if (confidence == null) {
            throw new IllegalArgumentException("confidence is required");
        }
    }

    /** A candidate whose secret is the whole match. */
    public static Candidate whole(int start, int end, Confidence confidence) {
        return new Candidate(start, end, start, end, confidence);
    }
}
