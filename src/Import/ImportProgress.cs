namespace CustomerGrains.Import;

/// <summary>How far an import has read its file: bytes of the file (for a bar) and the last line number read.</summary>
public sealed record ImportProgress(long Position, long Length, long Lines);
