package org.acme.serde;

/** A user class outside Weft's packages, for the serialization allow-list tests. */
public record Order(long id, String item) {}
