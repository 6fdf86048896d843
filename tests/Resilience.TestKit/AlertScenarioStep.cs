namespace Resilience.TestKit;

/// <summary>
/// One input of an alert scenario: at <see cref="At"/> after the start, <see cref="Sensor"/> reports
/// <see cref="Value"/> of <see cref="Quantity"/>. Quantity "status" with flags "stale" means: no data since the
/// last reading, and the sensor grain's staleness check fires now.
/// </summary>
/// <param name="At">Offset from the scenario start.</param>
/// <param name="Sensor">Sensor id.</param>
/// <param name="Quantity">water_level, rainfall, vn_aqi … or "status".</param>
/// <param name="Value">The value (NaN for a status step).</param>
/// <param name="Flags">Comma-separated data-quality flags: stale, spike, flatLine, outOfRange.</param>
public readonly record struct AlertScenarioStep(TimeSpan At, string Sensor, string Quantity, double Value, string Flags = "");
