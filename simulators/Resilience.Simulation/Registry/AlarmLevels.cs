namespace Resilience.Simulation.Registry;

/// <summary>
/// The scale a simulated gauge's river is driven on: alarm levels I &lt; II &lt; III in metres above its own datum
/// (Decision 05/2020/QĐ-TTg), with a level the registry leaves unknown filled in from the other two so every gauge
/// can be driven through I → II → III. Not the registry's fact (that is <c>Resilience.Alerts.Rules.AlarmLevels</c>
/// in src/Alerts, where an unknown level stays null): the simulators speak MQTT only and do not reference src/Alerts,
/// which would bring ASP.NET Core, SQLite and Npgsql into a device simulator for one record.
/// </summary>
public sealed record AlarmLevels(double I, double II, double III);
