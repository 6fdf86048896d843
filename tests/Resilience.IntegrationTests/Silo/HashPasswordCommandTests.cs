using System.Diagnostics;
using Resilience.Silo.Web;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Silo;

/// <summary>`Resilience.Silo hash-password` (used by operators and ./demo.sh) prints a hash and exits.</summary>
[Trait("Category", "Integration")]
public sealed class HashPasswordCommandTests
{
    [Fact]
    public async Task HashPassword_PasswordOnStdin_PrintsAVerifiableHashAndExits()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(SiloProcess.LocateSiloDll());
        info.ArgumentList.Add("hash-password");
        using Process process = Process.Start(info)!;
        await process.StandardInput.WriteLineAsync("s3cret-pass");
        process.StandardInput.Close();
        string output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);

        process.ExitCode.Should().Be(0);
        string hash = output.Trim().Split('\n')[^1].Trim();
        hash.Should().StartWith("pbkdf2-sha256$");
        OperatorPasswordHasher.Verify("s3cret-pass", hash).Should().BeTrue();
        OperatorPasswordHasher.Verify("wrong", hash).Should().BeFalse();
    }
}
