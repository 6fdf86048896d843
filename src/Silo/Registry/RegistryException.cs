namespace Resilience.Silo.Registry;

/// <summary>The registry file is invalid; <see cref="Errors"/> lists every problem found.</summary>
public sealed class RegistryException : Exception
{
    public RegistryException()
    {
        Errors = [];
    }

    public RegistryException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    internal RegistryException(string source, IReadOnlyList<string> errors)
        : base($"Sensor registry {source} is invalid:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}")
    {
        Errors = errors;
    }

    /// <summary>One line per problem.</summary>
    public IReadOnlyList<string> Errors { get; }
}
