using Resilience.Simulation.Publishing;

namespace Resilience.IntegrationTests.MqttClient;

/// <summary>The simulator's MQTTnet publisher against a mosquitto where devices authenticate.</summary>
[Trait("Category", "Integration")]
public sealed class MqttNetPublisherTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAsync_DeviceCredentials_PublishesUnderItsOwnId_WrongPasswordIsRefusedWithTheReason()
    {
        await using SecuredMosquitto secured = await SecuredMosquitto.StartAsync();
        int port = secured.Broker.Port;

        Func<Task> wrong = async () => await MqttNetPublisher.ConnectAsync(
            new MqttNetPublisherSettings { Port = port, ClientId = "dn-camle-wl", Username = "dn-camle-wl", Password = "guess" }, Ct);
        (await wrong.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("refused");
        Func<Task> anonymous = async () => await MqttNetPublisher.ConnectAsync("127.0.0.1", port, "anon", qos: 1, Ct);
        await anonymous.Should().ThrowAsync<InvalidOperationException>();

        await using MqttNetTestClient silo = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(port, "silo").WithCredentials("silo", "silo-pw"), Ct);
        await silo.SubscribeAsync("$share/resilience/sensors/+/+/telemetry", 1, Ct);
        await using MqttNetPublisher device = await MqttNetPublisher.ConnectAsync(
            new MqttNetPublisherSettings { Port = port, ClientId = "dn-camle-wl", Username = "dn-camle-wl", Password = "device-pw", Qos = 1 }, Ct);
        await device.PublishAsync("sensors/danang/dn-camle-wl/telemetry"u8.ToArray(), "{\"seq\":1}"u8.ToArray(), retain: false, Ct);
        await device.PublishAsync("sensors/hanoi/hn-longbien-wl/telemetry"u8.ToArray(), "{\"seq\":666}"u8.ToArray(), retain: false, Ct);
        await device.DrainAsync(Ct); // MQTT 3.1.1 has no refusal code in PUBACK: mosquitto acknowledges and drops it
        List<MqttNetTestClient.Received> got = await silo.ReadAsync(1);
        got[0].Payload.Should().Be("{\"seq\":1}");
        Func<Task> forged = () => silo.ReadAsync(1, TimeSpan.FromSeconds(1));
        await forged.Should().ThrowAsync<TimeoutException>("the forged reading never reached the silo");
    }
}
