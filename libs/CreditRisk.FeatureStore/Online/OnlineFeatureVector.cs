using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// The online answer for one requested row: one <see cref="ServedFeature"/> per requested feature, in request order.
/// Each carries the name "view:feature", the value (unset = null), the vector's event time and a status:
/// PRESENT, NOT_FOUND (no vector for the entity and view, or the vector lacks the feature) or OUTSIDE_TTL (a vector
/// exists but now − event time &gt; the view's TTL; its value is still returned for inspection).
/// </summary>
public sealed record OnlineFeatureVector(EntityRow Row, IReadOnlyList<ServedFeature> Features);
