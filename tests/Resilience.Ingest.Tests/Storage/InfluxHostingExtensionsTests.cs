using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Resilience.Ingest.Storage;
using Resilience.TestKit;

namespace Resilience.Ingest.Tests.Storage;

public sealed class InfluxHostingExtensionsTests
{
    private static HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddInfluxWriter();
        return builder;
    }

    [Fact]
    public async Task AddInfluxWriter_SpoolOnlyConfiguration_RegistersOneWriterUnderDataDirectory()
    {
        using var dir = new TempDirectory("hosting");
        using IHost host = Builder(("Resilience:DataDirectory", dir.Path)).Build();
        await host.StartAsync(TestContext.Current.CancellationToken);

        var writer = host.Services.GetRequiredService<IPointWriter>();
        writer.Should().BeSameAs(host.Services.GetRequiredService<IInfluxWriterMetrics>());
        var point = new PointData("m", default, new[] { FieldValue.Integer("v", 1) }, 1);
        writer.TryWrite(in point).Should().BeTrue();
        await writer.FlushAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Directory.GetFiles(Path.Combine(dir.Path, "spool"), "*.seg").Should().NotBeEmpty();
    }

    [Theory]
    [InlineData("Resilience:Influx:BatchSize", "0", "BatchSize")]
    [InlineData("Resilience:Influx:Url", "ftp://influx", "Url")]
    [InlineData("Resilience:Influx:Spool:MaxBytes", "100000", "MaxBytes")]
    [InlineData("Resilience:Influx:ApiVersion", "V2", "Org")]
    public async Task AddInfluxWriter_InvalidSetting_FailsAtStartNamingTheKey(string key, string value, string named)
    {
        using var dir = new TempDirectory("hosting");
        (string, string)[] settings = key.EndsWith("ApiVersion", StringComparison.Ordinal)
            ? [("Resilience:DataDirectory", dir.Path), ("Resilience:Influx:Url", "http://127.0.0.1:1"), (key, value)]
            : [("Resilience:DataDirectory", dir.Path), (key, value)];
        using IHost host = Builder(settings).Build();

        Func<Task> start = () => host.StartAsync(TestContext.Current.CancellationToken);

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(named);
    }
}
