package dev.warden.usage;

/** Who an event is about: the identity key the inventory uses (source type, scope, external id). */
record IdentityKey(String sourceType, String scope, String principal) {}
