using Portal.Shared.Connectors;
using Portal.Shared.DataFlows;

namespace Portal.Testing;

/// <summary>
/// The shipped example's flow, as the tests run it: a weather station's four holding registers (sun elevation, cloud
/// cover, air temperature, humidity, scaled) feed the solar-irradiance model; the forecast goes to MQTT and the portal, and
/// a derate setpoint (80 % above 600 W/m², else 100 %) is written back to holding register 20.
/// </summary>
internal static class SolarFlow
{
    public const int Elevation = 10;
    public const int Cloud = 11;
    public const int Temperature = 12;
    public const int Humidity = 13;
    public const int Setpoint = 20;

    public static readonly ModbusPoint SetpointPoint = new("derate", ModbusTable.HoldingRegister, Setpoint, Unit: "%");

    public static DataFlowSpec Build(int modbusPort, int mqttPort, int pollMs = 100, string? password = null) => new(
        "solar-forecast",
        [
            new FlowConnection("station", ConnectorKind.Modbus, Modbus: new ModbusEndpoint("127.0.0.1", modbusPort, TimeoutMs: 500)),
            new FlowConnection("broker", ConnectorKind.Mqtt, Mqtt: new MqttConnection("127.0.0.1", mqttPort, ClientId: "flow-" + Guid.NewGuid().ToString("N")[..8],
                Username: password is null ? null : MosquittoBroker.User, Password: password)),
        ],
        [
            Source("sun_elevation", Elevation, ModbusDataType.Int16, 0.1, "deg", pollMs),
            Source("cloud_cover", Cloud, ModbusDataType.UInt16, 0.01, "fraction", pollMs),
            Source("air_temperature", Temperature, ModbusDataType.Int16, 0.1, "°C", pollMs),
            Source("humidity", Humidity, ModbusDataType.UInt16, 0.01, "fraction", pollMs),
        ],
        [new FlowTransform("cloud_clamped", FlowTransformKind.Clamp, "cloud_cover", Min: 0, Max: 1)],
        new FlowModelStep("solar-irradiance",
            [new FlowModelInput("features", ["sun_elevation", "cloud_clamped", "air_temperature", "humidity"])],
            [new FlowModelOutput("irradiance", "ghi_forecast", Unit: "W/m2")],
            Trigger: "humidity"),
        [
            new FlowSink(FlowSinkKind.MqttPublish, ["ghi_forecast"], "broker", "plant/forecast/{name}", Qos: 1),
            new FlowSink(FlowSinkKind.Portal, ["ghi_forecast", "sun_elevation"]),
            new FlowSink(FlowSinkKind.ModbusWrite, ["ghi_forecast"], "station", Modbus: SetpointPoint, When: new FlowCondition(">", 600, 80, 100)),
        ]);

    private static FlowSource Source(string name, int address, ModbusDataType type, double scale, string unit, int pollMs) =>
        new(name, "station", new ModbusPoint(name, ModbusTable.HoldingRegister, address, type, Scale: scale, Unit: unit, PollIntervalMs: pollMs));
}
