namespace CustomerGrains.Grains.Segments;

/// <summary>Counts a draft rule over a store's customers (key: store id) without saving anything.</summary>
[Alias("cg.IPreviewGrain")]
public interface IPreviewGrain : IGrainWithStringKey
{
    [Alias("Preview")]
    Task<SegmentPreview> PreviewAsync(string ruleText, int sampleSize);
}
