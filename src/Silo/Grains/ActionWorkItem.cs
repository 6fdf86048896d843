namespace Resilience.Silo.Grains;

/// <summary>A runtime-internal turn (timer tick, checkpoint) with no caller waiting for it.</summary>
internal sealed class ActionWorkItem : WorkItem
{
    private readonly Func<Grain, object?, Task> _action;
    private readonly object? _state;
    private readonly Action<Exception>? _onError;

    public ActionWorkItem(Func<Grain, object?, Task> action, object? state, Action<Exception>? onError)
    {
        _action = action;
        _state = state;
        _onError = onError;
    }

    public override bool IsSystem => true;

    public override async ValueTask ExecuteAsync(Grain grain)
    {
        try
        {
            await _action(grain, _state);
        }
        catch (Exception ex)
        {
            _onError?.Invoke(ex);
        }
    }

    public override void Fail(Exception exception)
    {
    }
}
