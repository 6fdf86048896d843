namespace Resilience.Alerts.Evaluation;

/// <summary>
/// One observation handed to a rule: the value (metres, mm since the previous report, VN_AQI, zone level …),
/// its timestamp and its data-quality flags. Passed by <c>in</c> reference; never boxed.
/// </summary>
/// <param name="Timestamp">When the value was observed.</param>
/// <param name="Value">The value in the rule quantity's unit.</param>
/// <param name="Flags">Data-quality flags from the sensor grain.</param>
internal readonly record struct Reading(DateTimeOffset Timestamp, double Value, DataQualityFlags Flags = DataQualityFlags.None);
