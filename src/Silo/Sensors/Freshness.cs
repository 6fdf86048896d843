namespace Resilience.Silo.Sensors;

/// <summary>
/// Whether a sensor's last reading may be shown as current: a reading older than 3× the sensor's reporting
/// interval (by its own timestamp, against the silo clock) is stale, and the API then shows it only as the last
/// known value with its time, never as the present value. A sensor never heard from is "never".
/// </summary>
internal static class Freshness
{
    /// <summary>The last reading is recent.</summary>
    public const string Current = "current";

    /// <summary>The last reading is older than <see cref="StaleAfterSeconds"/>.</summary>
    public const string Stale = "stale";

    /// <summary>No reading yet.</summary>
    public const string Never = "never";

    /// <summary>How many reporting intervals without a reading make a sensor stale.</summary>
    public const int IntervalsBeforeStale = 3;

    /// <summary>Seconds after its reading time at which a value stops being current.</summary>
    public static long StaleAfterSeconds(int reportingIntervalSeconds) => IntervalsBeforeStale * (long)Math.Max(1, reportingIntervalSeconds);

    /// <summary>"current", "stale" or "never" for a last reading at <paramref name="lastTsMs"/> (0 or less = none).</summary>
    public static string Of(long lastTsMs, int reportingIntervalSeconds, long nowMs) =>
        lastTsMs <= 0 ? Never : IsCurrent(lastTsMs, reportingIntervalSeconds, nowMs) ? Current : Stale;

    /// <summary>True when a reading at <paramref name="tsMs"/> is still current at <paramref name="nowMs"/>.</summary>
    public static bool IsCurrent(long tsMs, int reportingIntervalSeconds, long nowMs) =>
        tsMs > 0 && nowMs - tsMs <= StaleAfterSeconds(reportingIntervalSeconds) * 1000;
}
