namespace Resilience.IntegrationTests.Mqtt;

/// <summary>The test process's memory at one moment (the broker and the web hosts under attack run in it).</summary>
/// <param name="Heap">Managed heap bytes after a full collection.</param>
/// <param name="WorkingSet">Resident bytes (<see cref="Environment.WorkingSet"/>).</param>
internal readonly record struct MemoryFigure(long Heap, long WorkingSet);
