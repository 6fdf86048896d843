namespace Resilience.Alerts.Dispatch;

/// <summary>The answer of <see cref="AlertStreamHub.TrySubscribe"/>.</summary>
internal enum AlertStreamAdmission
{
    /// <summary>Subscribed.</summary>
    Admitted,

    /// <summary>The total limit is reached.</summary>
    Full,

    /// <summary>The client's address has as many streams as allowed.</summary>
    TooManyFromAddress,
}
