using System.Security.Cryptography;
using System.Text;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// Checks passwords against plain text or mosquitto_passwd hashes: <c>$7$iterations$salt$hash</c>
/// (PBKDF2-HMAC-SHA512, mosquitto 2.x default) and <c>$6$salt$hash</c> (SHA-512 of password + salt), base64 fields.
/// </summary>
internal static class MqttPasswordVerifier
{
    public static bool Verify(string stored, ReadOnlySpan<byte> password)
    {
        if (stored.StartsWith("$7$", StringComparison.Ordinal))
        {
            string[] parts = stored.Split('$');
            if (parts.Length != 5 || !int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int iterations) || iterations <= 0)
            {
                return false;
            }

            if (!TryBase64(parts[3], out byte[] salt) || !TryBase64(parts[4], out byte[] expected))
            {
                return false;
            }

            byte[] actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA512, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        if (stored.StartsWith("$6$", StringComparison.Ordinal))
        {
            string[] parts = stored.Split('$');
            if (parts.Length != 4 || !TryBase64(parts[2], out byte[] salt) || !TryBase64(parts[3], out byte[] expected))
            {
                return false;
            }

            byte[] input = new byte[password.Length + salt.Length];
            password.CopyTo(input);
            salt.CopyTo(input.AsSpan(password.Length));
            byte[] actual = SHA512.HashData(input);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        byte[] plain = Encoding.UTF8.GetBytes(stored);
        return CryptographicOperations.FixedTimeEquals(plain, password);
    }

    /// <summary>Creates a <c>$7$</c> hash compatible with mosquitto_passwd (101 iterations, 12-byte salt).</summary>
    public static string HashPbkdf2(string password, int iterations = 101)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(12);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, 64);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"$7${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Reads <c>user:hash</c> lines; blank lines and <c>#</c> comments are skipped.</summary>
    public static Dictionary<string, string> ReadPasswordFile(string path)
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string raw in File.ReadAllLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                users[line.Substring(0, colon)] = line.Substring(colon + 1);
            }
        }

        return users;
    }

    /// <summary>
    /// Adds or replaces <paramref name="user"/>'s line in a mosquitto_passwd file (created when missing, owner-only on
    /// Unix), keeping every other line; the file is replaced atomically.
    /// </summary>
    public static void SetPassword(string path, string user, string password)
    {
        string full = Path.GetFullPath(path);
        string[] lines = File.Exists(full) ? File.ReadAllLines(full) : [];
        var output = new List<string>(lines.Length + 1);
        string entry = user + ":" + HashPbkdf2(password);
        bool replaced = false;
        foreach (string line in lines)
        {
            if (line.StartsWith(user + ":", StringComparison.Ordinal))
            {
                if (!replaced)
                {
                    output.Add(entry);
                    replaced = true;
                }

                continue;
            }

            output.Add(line);
        }

        if (!replaced)
        {
            output.Add(entry);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        using (FileStream stream = OperatingSystem.IsWindows()
            ? new FileStream(temp, FileMode.Create, FileAccess.Write)
            : new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.NewLine = "\n";
            foreach (string line in output)
            {
                writer.WriteLine(line);
            }
        }

        File.Move(temp, full, overwrite: true);
    }

    private static bool TryBase64(string s, out byte[] bytes)
    {
        bytes = new byte[(s.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(s, bytes, out int written))
        {
            bytes = bytes.AsSpan(0, written).ToArray();
            return true;
        }

        bytes = [];
        return false;
    }
}
