using System.Threading.Tasks.Sources;

namespace Resilience.Silo.Grains;

/// <summary>
/// A call with an argument and a result. The item is its own <see cref="IValueTaskSource{TResult}"/>, so a
/// call costs one allocation (this object) plus whatever the grain method allocates.
/// </summary>
internal sealed class CallWorkItem<TGrain, TArg, TResult> : WorkItem, IValueTaskSource<TResult>
    where TGrain : class
{
    private readonly Func<TGrain, TArg, ValueTask<TResult>> _method;
    private readonly TArg _arg;
    private ManualResetValueTaskSourceCore<TResult> _core;

    public CallWorkItem(Func<TGrain, TArg, ValueTask<TResult>> method, TArg arg)
    {
        _method = method;
        _arg = arg;
        _core.RunContinuationsAsynchronously = true;
    }

    public ValueTask<TResult> Task => new(this, _core.Version);

    public override async ValueTask ExecuteAsync(Grain grain)
    {
        try
        {
            TResult result = await _method((TGrain)(object)grain, _arg);
            _core.SetResult(result);
        }
        catch (Exception ex)
        {
            _core.SetException(ex);
        }
    }

    public override void Fail(Exception exception) => _core.SetException(exception);

    public TResult GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
