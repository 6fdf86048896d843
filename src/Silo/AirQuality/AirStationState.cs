namespace Resilience.Silo.AirQuality;

/// <summary>The persisted state of an air station grain.</summary>
[GenerateSerializer]
[Alias("resilience.air-state")]
internal sealed class AirStationState
{
    /// <summary>Start of the hour being accumulated, Unix ms (0 = none yet).</summary>
    [Id(0)]
    public long CurrentHourMs { get; set; }

    /// <summary>Sums of the current hour: pm25, pm10, o3, no2, so2, co.</summary>
    [Id(1)]
    public double[] Sums { get; set; } = new double[6];

    /// <summary>Sample counts of the current hour.</summary>
    [Id(2)]
    public int[] Counts { get; set; } = new int[6];

    /// <summary>The last 24 closed hours, oldest first.</summary>
    [Id(3)]
    public List<HourlyMeans> Hours { get; set; } = [];

    /// <summary>VN_AQI of the last 24 closed hours, oldest first.</summary>
    [Id(4)]
    public List<AqiPoint> AqiHistory { get; set; } = [];

    /// <summary>Last written VN_AQI (-1 = none).</summary>
    [Id(5)]
    public int LastVnAqi { get; set; } = -1;

    /// <summary>Last written US AQI (-1 = none).</summary>
    [Id(6)]
    public int LastUsAqi { get; set; } = -1;

    /// <summary>Time of the last sample, Unix ms.</summary>
    [Id(7)]
    public long UpdatedMs { get; set; }
}
