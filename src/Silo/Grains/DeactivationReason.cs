namespace Resilience.Silo.Grains;

/// <summary>Why an activation is being deactivated.</summary>
internal enum DeactivationReason
{
    /// <summary>No call for longer than the configured idle age.</summary>
    Idle,

    /// <summary>The grain asked for it (<see cref="Grain.DeactivateOnIdle"/>).</summary>
    Requested,

    /// <summary>The silo is shutting down.</summary>
    Shutdown,

    /// <summary><see cref="Grain.OnActivateAsync"/> threw.</summary>
    ActivationFailed,
}
