/**
 * Reading hostile input safely, for every capability that reads files or bodies: {@link
 * dev.warden.input.Input} (a file, a URL or received content, named without secrets), {@link
 * dev.warden.input.InputFiles} (directories walked with limits), {@link
 * dev.warden.input.SafeParsers} and {@link dev.warden.input.TreeReader} (JSON and YAML with size,
 * nesting, alias and duplicate-key limits), {@link dev.warden.input.Echo} (user text made safe to
 * quote in an error) and the one {@link dev.warden.input.InputException} their errors become. It
 * depends on nothing else in Warden.
 */
package dev.warden.input;
