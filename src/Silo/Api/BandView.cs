namespace Resilience.Silo.Api;

/// <summary>A VN_AQI band: key, names, colour and advice in Vietnamese and English.</summary>
internal sealed record BandView(string Key, string Vi, string En, string Color, string AdviceVi, string AdviceEn);
