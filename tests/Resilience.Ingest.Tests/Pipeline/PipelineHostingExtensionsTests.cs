using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Pipeline;

namespace Resilience.Ingest.Tests.Pipeline;

public sealed class PipelineHostingExtensionsTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddIngestPipeline();
        return builder.Build();
    }

    [Fact]
    public void AddIngestPipeline_Defaults_ResolveHandlerAndDataDirectory()
    {
        using IHost host = Build(new() { ["Resilience:DataDirectory"] = "/var/lib/resilience" });

        host.Services.GetRequiredService<IMqttMessageHandler>().Should().BeOfType<IngestPipeline>();
        IngestPipelineOptions options = host.Services.GetRequiredService<IOptions<IngestPipelineOptions>>().Value;
        options.DeadLetterDirectory.Should().Be(Path.Combine("/var/lib/resilience", "deadletter"));
        options.Provinces.Should().Equal("danang", "hanoi", "haiphong", "hochiminh", "bacninh");
    }

    [Fact]
    public void AddIngestPipeline_ConfiguredProvinces_ReplaceTheDefaults()
    {
        using IHost host = Build(new() { ["Resilience:Ingest:Pipeline:Provinces:0"] = "hue" });

        host.Services.GetRequiredService<IOptions<IngestPipelineOptions>>().Value.Provinces.Should().Equal("hue");
    }

    [Fact]
    public void AddIngestPipeline_InvalidOption_FailsValidationNamingIt()
    {
        using IHost host = Build(new() { ["Resilience:Ingest:Pipeline:MaxPayloadBytes"] = "1" });

        Action act = () => _ = host.Services.GetRequiredService<IOptions<IngestPipelineOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*MaxPayloadBytes*");
    }
}
