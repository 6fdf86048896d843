namespace Resilience.IntegrationTests.Mqtt;

/// <summary>
/// The attack tests that measure the process's memory before and after: they run alone (no other test class in
/// parallel), because the broker and hosts under attack share the test process and its managed heap.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AttackFiguresCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Attack figures";
}
