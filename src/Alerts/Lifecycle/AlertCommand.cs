namespace Resilience.Alerts.Lifecycle;

/// <summary>Body of <c>POST /api/alerts/{id}/ack</c> and <c>/resolve</c>.</summary>
internal sealed record AlertCommand
{
    /// <summary>Who acts (required).</summary>
    public string? By { get; init; }

    /// <summary>Free text.</summary>
    public string? Note { get; init; }

    /// <summary>Resolve only: the alert was a mistake (CAP Cancel instead of an all-clear).</summary>
    public bool Mistaken { get; init; }
}
