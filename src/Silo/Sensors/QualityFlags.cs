namespace Resilience.Silo.Sensors;

/// <summary>Data-quality flags of a sensor (DOMAIN.md §6); <c>stale</c> is the sensor grain's liveness, not a flag here.</summary>
[Flags]
[GenerateSerializer]
[Alias("resilience.quality-flags")]
internal enum QualityFlags : byte
{
    /// <summary>Nothing wrong.</summary>
    None = 0,

    /// <summary>The last value was outside the hard limits (FEWS HN/HX, QARTOD gross range fail); not used as latest.</summary>
    OutOfRange = 1,

    /// <summary>The last value changed faster than the rate-of-change limit (FEWS ROR/ROF, QARTOD spike): suspect.</summary>
    Spike = 2,

    /// <summary>The value has not changed for the flat-line period (FEWS SR, QARTOD flat line): stuck sensor.</summary>
    FlatLine = 4,
}
