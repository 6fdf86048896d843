namespace Resilience.Ingest.Storage;

/// <summary>Where a spooled record starts (segment id and offset) and how many bytes it spans.</summary>
internal readonly record struct SpoolPosition(long Segment, long Offset, long Size);
