namespace Resilience.IntegrationTests.Web;

/// <summary>The browser tests that share one silo + simulator run (<see cref="SiloWithSimulator"/>).</summary>
[CollectionDefinition(Name)]
public sealed class SiloWebCollection : ICollectionFixture<SiloWithSimulator>
{
    public const string Name = "Silo fed by the simulator";
}
