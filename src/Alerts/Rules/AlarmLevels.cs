namespace Resilience.Alerts.Rules;

/// <summary>A water-level gauge's alarm levels I/II/III (m above the station datum; DOMAIN.md §3); null where unknown.</summary>
/// <param name="LevelI">Báo động I.</param>
/// <param name="LevelII">Báo động II.</param>
/// <param name="LevelIII">Báo động III.</param>
internal readonly record struct AlarmLevels(double? LevelI, double? LevelII, double? LevelIII);
