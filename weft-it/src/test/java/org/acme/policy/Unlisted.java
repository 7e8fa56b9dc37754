package org.acme.policy;

/** A user class that SerializationPolicyIT leaves off the allow list. */
public record Unlisted(int n) {}
