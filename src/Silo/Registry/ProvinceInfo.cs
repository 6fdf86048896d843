namespace Resilience.Silo.Registry;

/// <summary>A province (the slug used in topics, and its name).</summary>
internal sealed record ProvinceInfo(string Id, string Name);
