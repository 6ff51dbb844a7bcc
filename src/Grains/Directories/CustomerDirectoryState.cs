namespace CustomerGrains.Grains.Directories;

[GenerateSerializer, Alias("cg.CustomerDirectoryState")]
public sealed class CustomerDirectoryState
{
    [Id(0)] public List<string> CustomerIds { get; set; } = [];
}
