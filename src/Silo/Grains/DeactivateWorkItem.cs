namespace Resilience.Silo.Grains;

/// <summary>Asks an activation to deactivate at the end of its mailbox.</summary>
internal sealed class DeactivateWorkItem(DeactivationReason reason) : WorkItem
{
    public DeactivationReason Reason { get; } = reason;

    public override bool IsSystem => true;

    public override ValueTask ExecuteAsync(Grain grain) => grain.Activation.DeactivateFromTurnAsync(Reason);

    public override void Fail(Exception exception)
    {
    }
}
