using System.ComponentModel.DataAnnotations;

namespace Resilience.Silo.Grains;

/// <summary>Grain runtime settings (<c>Resilience:Grains</c>).</summary>
public sealed class GrainRuntimeOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Grains";

    /// <summary>An activation with no call for this long is deactivated and its state written. Default 30 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan IdleDeactivationAge { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the runtime sweeps activations for idleness and checkpoints. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A busy activation writes its state at least this often (crash safety). Default 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Calls queued per activation before callers wait (backpressure). Default 256.</summary>
    [Range(1, 1_000_000)]
    public int MailboxCapacity { get; set; } = 256;
}
