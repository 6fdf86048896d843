using System.Diagnostics;
using Resilience.IntegrationTests.Mqtt;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Silo;

/// <summary>The silo's MQTT security at the process level: the device-password command and the refusal to start open.</summary>
[Trait("Category", "Integration")]
public sealed class BrokerSecurityCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DevicePassword_AddsAndRotates_ThePrintedPasswordLogsInToTheSiloAndToRealMosquitto()
    {
        using var dir = new TempDirectory("device-password");
        string file = Path.Combine(dir.Path, "passwd");

        (int exit, string first, _) = await RunSiloAsync("device-password", "dn-camle-wl", "--file", file);
        (int again, string second, _) = await RunSiloAsync("device-password", "dn-camle-wl", "--file", file);
        (int bad, _, string badError) = await RunSiloAsync("device-password", "Not/A/Sensor", "--file", file);

        exit.Should().Be(0);
        again.Should().Be(0);
        bad.Should().Be(2);
        badError.Should().Contain("is not a sensor id");
        first.Should().MatchRegex("^[A-Za-z0-9_-]{32}$");
        second.Should().NotBe(first, "the command rotates the password");
        (await File.ReadAllLinesAsync(file, Ct)).Should().ContainSingle().Which.Should().StartWith("dn-camle-wl:$7$101$");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using SiloProcess silo = await SiloProcess.StartAsync(Path.Combine(dir.Path, "data"), new Dictionary<string, string>
        {
            ["Resilience:Mqtt:Broker:AllowAnonymous"] = "false",
            ["Resilience:Mqtt:Broker:PasswordFile"] = file,
            ["Resilience:Influx:Url"] = string.Empty,
        });
        (int rotated, string rotatedOutput) = await MosquittoCli.PublishAsync(silo.MqttPort, "mqttv311", "-u", "dn-camle-wl", "-P", second, "-q", "1", "-t", "sensors/danang/dn-camle-wl/telemetry", "-m", "{\"values\":{\"water_level\":1.2}}");
        (int old, _) = await MosquittoCli.PublishAsync(silo.MqttPort, "mqttv311", "-u", "dn-camle-wl", "-P", first, "-t", "sensors/danang/dn-camle-wl/telemetry", "-m", "{}");
        (int anonymous, _) = await MosquittoCli.PublishAsync(silo.MqttPort, "mqttv311", "-t", "sensors/danang/dn-camle-wl/telemetry", "-m", "{}");
        (int otherProvince, string otherOutput) = await MosquittoCli.PublishAsync(silo.MqttPort, "mqttv5", "-u", "dn-camle-wl", "-P", second, "-q", "1", "-t", "sensors/hanoi/dn-camle-wl/telemetry", "-m", "{}");

        rotated.Should().Be(0, rotatedOutput);
        old.Should().NotBe(0);
        anonymous.Should().NotBe(0);
        otherOutput.Should().Contain("Not authorized", "the registry puts dn-camle-wl in Da Nang (exit {0})", otherProvince);

        MqttBrokerSecurityTests.AllowMosquittoToRead(file);
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync(["allow_anonymous false", "password_file " + file]);
        (int external, string externalOutput) = await MosquittoCli.PublishAsync(mosquitto.Port, "mqttv311", "-u", "dn-camle-wl", "-P", second, "-t", "t", "-m", "m");
        external.Should().Be(0, externalOutput + mosquitto.Output);
    }

    [Theory]
    [InlineData("false", "no device can authenticate")]
    [InlineData("true", "only allowed on a loopback BindAddress")]
    public async Task Silo_OnANetworkBindWithoutAuthentication_RefusesToStart(string anonymous, string message)
    {
        using var dir = new TempDirectory("open-bind");
        (int exit, string output, string error) = await RunSiloAsync(
            "--urls", "http://127.0.0.1:" + FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Resilience:DataDirectory=" + dir.Path,
            "--Resilience:Mqtt:Broker:Port=" + FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Resilience:Mqtt:Broker:BindAddress=0.0.0.0",
            "--Resilience:Mqtt:Broker:AllowAnonymous=" + anonymous,
            "--Resilience:Influx:Url=");

        exit.Should().NotBe(0);
        (output + error).Should().Contain(message).And.Contain("Resilience:Mqtt:Broker:");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunSiloAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(SiloProcess.LocateSiloDll());
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(Ct);
        Task<string> error = process.StandardError.ReadToEndAsync(Ct);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, (await output).Trim(), (await error).Trim());
    }
}
