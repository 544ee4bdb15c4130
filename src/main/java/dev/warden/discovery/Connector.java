package dev.warden.discovery;

import dev.warden.input.Input;
import dev.warden.input.InputException;
import java.util.List;

/**
 * The discovery seam: reads one kind of source in its native format and returns the identities
 * found there, with their credentials and entitlements.
 *
 * <p>Contract. {@link #discover} reads every input before returning and either returns a complete
 * {@link Discovery} or throws {@link InputException} naming the input and, where it can, the
 * line or JSON pointer at fault; it never writes to the store (the {@link Importer} does, in one
 * transaction). It treats input as hostile: bounded sizes, no entity expansion, no network access
 * except to the URLs it is given. It declares in {@link Discovery#coverage()} which part of the
 * inventory it saw whole, so that identities missing from the import can be marked removed; a
 * connector that sees only part of a source (one user's access keys) declares no coverage for it.
 * Identical inputs give identical discoveries. Implementations live in
 * {@code discovery/<source>/} and are listed in {@link Connectors}.
 */
public interface Connector {
    /** The source name on the command line and in {@code /v1/imports/{source}}. */
    String name();

    /** A one-line description of what it reads, for {@code --help} and the API. */
    String description();

    Discovery discover(List<Input> inputs, ImportOptions options);
}
