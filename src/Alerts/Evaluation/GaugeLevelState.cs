namespace Resilience.Alerts.Evaluation;

/// <summary>
/// The held alarm level of one gauge (see <see cref="ZoneLevelTracker"/>): a plain record so grain state can
/// persist it as it is.
/// </summary>
/// <param name="Level">Held alarm level 0–3.</param>
/// <param name="LastTsMs">Time (Unix ms) of the newest reading applied; older readings are ignored.</param>
/// <param name="BelowSinceMs">Since when (Unix ms) the gauge has read below the held level minus the margin; 0 = not below.</param>
/// <param name="BelowPeak">The highest level (with the margin) read while below: where a step down lands.</param>
internal readonly record struct GaugeLevelState(int Level, long LastTsMs, long BelowSinceMs, int BelowPeak);
