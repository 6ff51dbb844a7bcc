namespace CustomerGrains.Grains.Quality;

/// <summary>
/// A store's report's answer to a silo's updates: which activation of the report took them (<see cref="Epoch"/>), the
/// number it gave them (0 for none), and the number through which what it took is written. A silo keeps what it sent
/// until it is written, and sends it again when the epoch changes (the report restarted and may have lost it).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.QualityAck")]
public sealed record QualityAck(
    [property: Id(0)] Guid Epoch,
    [property: Id(1)] long Merge,
    [property: Id(2)] long WrittenThrough);
