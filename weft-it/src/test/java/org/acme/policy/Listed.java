package org.acme.policy;

/** A user class outside Weft's packages that SerializationPolicyIT puts on the allow list. */
public record Listed(int n) {}
