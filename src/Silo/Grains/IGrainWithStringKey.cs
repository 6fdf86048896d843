namespace Resilience.Silo.Grains;

/// <summary>Marker for grain interfaces keyed by a string, as in Orleans.</summary>
internal interface IGrainWithStringKey
{
}
