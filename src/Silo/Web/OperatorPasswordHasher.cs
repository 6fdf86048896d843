using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Resilience.Silo.Web;

/// <summary>
/// Salted PBKDF2-HMAC-SHA256 password hashes for operator accounts, stored as
/// <c>pbkdf2-sha256$iterations$saltBase64$hashBase64</c>.
/// </summary>
public static class OperatorPasswordHasher
{
    /// <summary>The scheme prefix of every hash.</summary>
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>Iterations used by <see cref="Hash(string)"/>: 600,000 (OWASP's 2023 figure for PBKDF2-SHA256).</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The fewest iterations a stored hash may have: 100,000.</summary>
    public const int MinimumIterations = 100_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Hashes <paramref name="password"/> with a fresh random salt and <see cref="DefaultIterations"/>.</summary>
    public static string Hash(string password) => Hash(password, DefaultIterations);

    /// <summary>Hashes <paramref name="password"/> with a fresh random salt and <paramref name="iterations"/> (≥ <see cref="MinimumIterations"/>).</summary>
    public static string Hash(string password, int iterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinimumIterations);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="encodedHash"/>; false for a wrong password or a malformed hash.</summary>
    public static bool Verify(string password, string encodedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(encodedHash, out int iterations, out byte[] salt, out byte[] expected))
        {
            return false;
        }

        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>The iteration count of <paramref name="encodedHash"/>, or 0 when it is malformed.</summary>
    public static int IterationsOf(string? encodedHash) => TryParse(encodedHash, out int iterations, out _, out _) ? iterations : 0;

    /// <summary>True when <paramref name="encodedHash"/> has the expected form and enough iterations.</summary>
    public static bool IsWellFormed(string? encodedHash) => TryParse(encodedHash, out _, out _, out _);

    /// <summary>
    /// The <c>hash-password</c> command: reads one password line from <paramref name="input"/> and writes its hash
    /// to <paramref name="output"/>. Returns the process exit code.
    /// </summary>
    public static int RunHashPasswordCommand(TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? password = input.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("hash-password: give the password on standard input (one line, not empty).");
            return 2;
        }

        output.WriteLine(Hash(password));
        return 0;
    }

    private static bool TryParse(string? encoded, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        if (string.IsNullOrEmpty(encoded))
        {
            return false;
        }

        string[] parts = encoded.Split('$');
        if (parts.Length != 4 || !string.Equals(parts[0], Scheme, StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations < MinimumIterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && hash.Length >= 16;
    }
}
