package dev.weft;

/**
 * How the bundles of a {@link PlacementGroup} are laid over nodes (Ray's meanings).
 *
 * <ul>
 *   <li>{@link #PACK}: as few nodes as possible; bundles that do not fit together go elsewhere.
 *   <li>{@link #SPREAD}: each bundle on a different node where possible, else wherever they fit.
 *   <li>{@link #STRICT_PACK}: every bundle on one node, or the group is not placed.
 *   <li>{@link #STRICT_SPREAD}: every bundle on a different node, or the group is not placed.
 * </ul>
 */
public enum PlacementStrategy {
  PACK,
  SPREAD,
  STRICT_PACK,
  STRICT_SPREAD
}
