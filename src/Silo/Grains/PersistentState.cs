using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Resilience.Silo.Grains;

/// <summary>JSON-serialized state (source-generated contracts) over an <see cref="IGrainStorage"/>.</summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>
    where TState : class, new()
{
    private readonly IGrainStorage _storage;
    private readonly string _stateName;
    private readonly string _key;
    private readonly JsonTypeInfo<TState> _typeInfo;

    public PersistentState(IGrainStorage storage, string stateName, string key, JsonTypeInfo<TState> typeInfo)
    {
        _storage = storage;
        _stateName = stateName;
        _key = key;
        _typeInfo = typeInfo;
        State = new TState();
    }

    public TState State { get; set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        byte[]? data = await _storage.ReadAsync(_stateName, _key, cancellationToken);
        RecordExists = data is not null;
        State = data is null ? new TState() : JsonSerializer.Deserialize(data, _typeInfo) ?? new TState();
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        byte[] data = JsonSerializer.SerializeToUtf8Bytes(State, _typeInfo);
        await _storage.WriteAsync(_stateName, _key, data, cancellationToken);
        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await _storage.ClearAsync(_stateName, _key, cancellationToken);
        RecordExists = false;
        State = new TState();
    }
}
