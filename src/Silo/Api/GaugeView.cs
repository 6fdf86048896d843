namespace Resilience.Silo.Api;

/// <summary>One gauge of a zone: its level and alarm (0–3).</summary>
internal sealed record GaugeView(string Id, string Name, double? LevelM, int Alarm, DateTimeOffset? Ts, double? RiseMPerHour, bool Verified);
