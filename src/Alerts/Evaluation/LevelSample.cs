namespace Resilience.Alerts.Evaluation;

/// <summary>One water level at its reading time.</summary>
/// <param name="TsMs">Reading time, Unix ms.</param>
/// <param name="LevelM">Level in m above the station's datum.</param>
internal readonly record struct LevelSample(long TsMs, double LevelM);
