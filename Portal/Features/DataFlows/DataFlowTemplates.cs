using Portal.Shared.Connectors;
using Portal.Shared.DataFlows;

namespace Portal.Features.DataFlows;

/// <summary>
/// Flows an operator starts from. The solar forecast is the shipped example (README, "Plant connectors"): a PV plant's
/// weather station over Modbus (holding registers 10–13: sun elevation in 0.1°, cloud cover in 0.01, air temperature in
/// 0.1 °C, humidity in 0.01) feeds the <c>solar-irradiance</c> model; the forecast goes to MQTT and to the portal, and a
/// derate setpoint (80 % while the forecast is above 600 W/m², else 100 %) is written to holding register 20. The
/// station's address comes from config (<c>PV_STATION_HOST</c>, set per site), the broker password from a secret.
/// </summary>
public static class DataFlowTemplates
{
    public static DataFlowSpec Solar() => new(
        "solar-forecast",
        [
            new FlowConnection("station", ConnectorKind.Modbus, Modbus: new ModbusEndpoint("${config:PV_STATION_HOST}", 502, TimeoutMs: 1000)),
            new FlowConnection("broker", ConnectorKind.Mqtt, Mqtt: new MqttConnection("127.0.0.1", 1883, Username: "edge-agent", Password: "${secret:MQTT_PASSWORD}")),
        ],
        [
            Register("sun_elevation", 10, ModbusDataType.Int16, 0.1, "deg"),
            Register("cloud_cover", 11, ModbusDataType.UInt16, 0.01, "fraction"),
            Register("air_temperature", 12, ModbusDataType.Int16, 0.1, "°C"),
            Register("humidity", 13, ModbusDataType.UInt16, 0.01, "fraction"),
        ],
        [new FlowTransform("cloud_clamped", FlowTransformKind.Clamp, "cloud_cover", Min: 0, Max: 1)],
        new FlowModelStep("solar-irradiance",
            [new FlowModelInput("features", ["sun_elevation", "cloud_clamped", "air_temperature", "humidity"])],
            [new FlowModelOutput("irradiance", "ghi_forecast", Unit: "W/m2")],
            Trigger: "humidity"),
        [
            new FlowSink(FlowSinkKind.MqttPublish, ["ghi_forecast"], "broker", "plant/forecast/{name}", Qos: 1),
            new FlowSink(FlowSinkKind.Portal, ["ghi_forecast", "sun_elevation"]),
            new FlowSink(FlowSinkKind.ModbusWrite, ["ghi_forecast"], "station",
                Modbus: new ModbusPoint("derate", ModbusTable.HoldingRegister, 20, Unit: "%"), When: new FlowCondition(">", 600, 80, 100)),
        ]);

    private static FlowSource Register(string name, int address, ModbusDataType type, double scale, string unit) =>
        new(name, "station", new ModbusPoint(name, ModbusTable.HoldingRegister, address, type, Scale: scale, Unit: unit, PollIntervalMs: 1000));
}
