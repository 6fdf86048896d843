namespace Resilience.Silo.Grains;

/// <summary>Lifecycle of one activation.</summary>
internal enum ActivationState : byte
{
    /// <summary>Created; <see cref="Grain.OnActivateAsync"/> runs before the first turn.</summary>
    Created,

    /// <summary>Activated and taking turns.</summary>
    Active,

    /// <summary><see cref="Grain.OnDeactivateAsync"/> is running; new calls wait for a new activation.</summary>
    Deactivating,

    /// <summary>Gone from the directory.</summary>
    Deactivated,
}
