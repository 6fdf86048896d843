using Microsoft.Extensions.Options;
using Resilience.Alerts.Evaluation;
using Resilience.Ingest.Storage;
using Resilience.Silo.Grains;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;

namespace Resilience.Silo.Hosting;

/// <summary>
/// The services every grain needs, in one singleton, so a grain instance carries one reference instead of six
/// (memory per idle grain matters at 1,000,000 sensors).
/// </summary>
internal sealed class SiloServices(
    RegistryProvider registry,
    IGrainStorage storage,
    IPointWriter writer,
    SensorLiveness liveness,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    IOptions<FloodLevelOptions>? flood = null)
{
    public RegistryProvider Registry { get; } = registry;

    public IGrainStorage Storage { get; } = storage;

    public IPointWriter Writer { get; } = writer;

    public SensorLiveness Liveness { get; } = liveness;

    public TimeProvider Time { get; } = time;

    /// <summary>Zone-level hysteresis and the time-to-next-alarm nowcast (<c>Resilience:Flood</c>).</summary>
    public FloodLevelOptions Flood { get; } = flood?.Value ?? new FloodLevelOptions();

    /// <summary>The logger grains write to (category <c>Resilience.Silo.Grains</c>).</summary>
    public ILogger Logger { get; } = loggerFactory.CreateLogger("Resilience.Silo.Grains");

    /// <summary>Unix ms now.</summary>
    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();
}
