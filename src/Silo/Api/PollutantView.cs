namespace Resilience.Silo.Api;

/// <summary>A pollutant's concentration used for the index (µg/m³; NowCast for PM) and its VN sub-index.</summary>
internal sealed record PollutantView(double Value, int? SubIndex);
