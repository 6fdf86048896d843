namespace Resilience.Ingest.Storage;

/// <summary>Read access to the InfluxDB writer's counters (registered next to <see cref="IPointWriter"/>).</summary>
public interface IInfluxWriterMetrics
{
    /// <summary>A consistent-enough copy of the counters.</summary>
    InfluxWriterSnapshot GetSnapshot();
}
