using System.Threading.Tasks.Sources;

namespace Resilience.Silo.Grains;

/// <summary>A call with an argument and no result; see <see cref="CallWorkItem{TGrain, TArg, TResult}"/>.</summary>
internal sealed class VoidCallWorkItem<TGrain, TArg> : WorkItem, IValueTaskSource
    where TGrain : class
{
    private readonly Func<TGrain, TArg, ValueTask> _method;
    private readonly TArg _arg;
    private ManualResetValueTaskSourceCore<bool> _core;

    public VoidCallWorkItem(Func<TGrain, TArg, ValueTask> method, TArg arg)
    {
        _method = method;
        _arg = arg;
        _core.RunContinuationsAsynchronously = true;
    }

    public ValueTask Task => new(this, _core.Version);

    public override async ValueTask ExecuteAsync(Grain grain)
    {
        try
        {
            await _method((TGrain)(object)grain, _arg);
            _core.SetResult(true);
        }
        catch (Exception ex)
        {
            _core.SetException(ex);
        }
    }

    public override void Fail(Exception exception) => _core.SetException(exception);

    public void GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
