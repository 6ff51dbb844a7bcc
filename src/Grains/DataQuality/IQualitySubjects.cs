using CustomerGrains.Grains.Quality;

namespace CustomerGrains.Grains.DataQuality;

/// <summary>
/// The customers a store's report is rebuilt from: each says what it adds to the report now. Defined here and
/// implemented by the customers' room, like <see cref="Segments.ISegmentSubjects"/>.
/// </summary>
public interface IQualitySubjects
{
    /// <summary>Each customer's facts and their version (null facts: the customer does not exist), in the order asked.</summary>
    Task<QualityUpdate[]> QualityAsync(string store, IReadOnlyList<string> customerIds);
}
