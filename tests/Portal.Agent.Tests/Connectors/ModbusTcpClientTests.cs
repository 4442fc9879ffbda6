using Portal.Agent.Connectors.Modbus;
using Portal.Shared.Connectors;
using Portal.Testing;

namespace Portal.Agent.Tests.Connectors;

/// <summary>
/// The client against a real Modbus TCP server (Debian's python3-pymodbus, register map in tests/Shared/modbus_server.py):
/// every function code, writes read back, the device's exception as a clear error, a hung device timing out, and the
/// connection coming back after the server restarts.
/// </summary>
public sealed class ModbusTcpClientTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private ModbusServer? server;
    private ModbusTcpClient client = default!;

    public async ValueTask InitializeAsync()
    {
        if (ModbusServer.Missing() is { } missing)
        {
            Assert.Skip($"No Modbus server to test against: {missing}.");
        }

        server = await ModbusServer.StartAsync(ct);
        client = new ModbusTcpClient(new ModbusClientOptions("127.0.0.1", server.Port)
        {
            Timeout = TimeSpan.FromMilliseconds(800),
            ReconnectMin = TimeSpan.FromMilliseconds(200),
            ReconnectMax = TimeSpan.FromSeconds(1),
        }, TimeProvider.System);
    }

    [Fact]
    public async Task Reads_EveryTable_FromTheKnownMap()
    {
        Assert.Equal([0x022B, 0, 100], await client.ReadHoldingRegistersAsync(1, 0, 3, ct));
        Assert.Equal([10, 20], await client.ReadInputRegistersAsync(1, 0, 2, ct));
        var inputs = await client.ReadDiscreteInputsAsync(1, 0, 4, ct);
        Assert.Equal([true, false, true, true], inputs);
        Assert.Equal(new bool[10], await client.ReadCoilsAsync(1, 0, 10, ct));
    }

    [Fact]
    public async Task Points_DecodeTypesOrdersAndScale()
    {
        Assert.Equal(123.456, await client.ReadPointAsync(new ModbusPoint("abcd", ModbusTable.InputRegister, 2, ModbusDataType.Float32), ct), 3);
        Assert.Equal(123.456, await client.ReadPointAsync(new ModbusPoint("cdab", ModbusTable.InputRegister, 4, ModbusDataType.Float32, WordOrder: ByteOrder.LittleEndian), ct), 3);
        Assert.Equal(-2, await client.ReadPointAsync(new ModbusPoint("i32", ModbusTable.InputRegister, 6, ModbusDataType.Int32), ct));
        Assert.Equal(10.0, await client.ReadPointAsync(new ModbusPoint("temp", ModbusTable.InputRegister, 8, Scale: 0.1, Offset: -40, Unit: "°C"), ct), 9);
        Assert.Equal(1, await client.ReadPointAsync(new ModbusPoint("di", ModbusTable.DiscreteInput, 0, ModbusDataType.Bool), ct));
    }

    [Fact]
    public async Task Writes_EveryFunction_ReadBack()
    {
        await client.WriteSingleRegisterAsync(1, 10, 0xBEEF, ct);
        await client.WriteMultipleRegistersAsync(1, 11, [1, 2, 3], ct);
        await client.WriteSingleCoilAsync(1, 5, true, ct);
        await client.WriteMultipleCoilsAsync(1, 20, [true, false, true, true, false, false, true, true, true], ct);

        Assert.Equal([0xBEEF, 1, 2, 3], await client.ReadHoldingRegistersAsync(1, 10, 4, ct));
        Assert.True((await client.ReadCoilsAsync(1, 5, 1, ct))[0]);
        var coils = await client.ReadCoilsAsync(1, 20, 9, ct);
        Assert.Equal([true, false, true, true, false, false, true, true, true], coils);

        var setpoint = new ModbusPoint("derate", ModbusTable.HoldingRegister, 30, ModbusDataType.Float32, Unit: "%");
        await client.WritePointAsync(setpoint, 62.5, ct);
        Assert.Equal(62.5, await client.ReadPointAsync(setpoint, ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.WritePointAsync(new ModbusPoint("ir", ModbusTable.InputRegister, 0), 1, ct));
    }

    [Fact]
    public async Task AddressTheDeviceLacks_IsItsExceptionTwo_AndTheConnectionStays()
    {
        var refused = await Assert.ThrowsAsync<ModbusException>(() => client.ReadHoldingRegistersAsync(1, 99, 5, ct));

        Assert.Equal(2, refused.Code);
        Assert.Contains("illegal data address", refused.Message, StringComparison.Ordinal);
        Assert.True(client.Connected);
        Assert.Equal([100], await client.ReadHoldingRegistersAsync(1, 2, 1, ct));
    }

    [Fact]
    public async Task HungDevice_TimesOut_ThenTheClientReconnectsOnceItAnswersAgain()
    {
        Assert.Equal([10], await client.ReadInputRegistersAsync(1, 0, 1, ct));
        server!.Freeze();
        var started = DateTime.UtcNow;
        var timeout = await Assert.ThrowsAsync<ModbusProtocolException>(() => client.ReadInputRegistersAsync(1, 0, 1, ct));
        Assert.Contains("No answer from 127.0.0.1", timeout.Message, StringComparison.Ordinal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(5));
        Assert.False(client.Connected);

        server.Thaw();
        Assert.Equal([10], await EventuallyAsync(() => client.ReadInputRegistersAsync(1, 0, 1, ct)));
    }

    [Fact]
    public async Task CallerGivesUpMidExchange_TheLateAnswerIsNeverReadAsTheNextRequests()
    {
        Assert.Equal([10], await client.ReadInputRegistersAsync(1, 0, 1, ct));
        server!.Freeze();
        using (var impatient = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            impatient.CancelAfter(200);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReadInputRegistersAsync(1, 0, 1, impatient.Token));
        }

        Assert.False(client.Connected);
        server.Thaw();

        // The frozen server answers the abandoned request (input register 0 = 10) once thawed; this one asks for holding registers.
        Assert.Equal([0x022B, 0, 100], await client.ReadHoldingRegistersAsync(1, 0, 3, ct));
    }

    [Fact]
    public async Task ServerGone_RefusedWithTheBackoff_BackAfterItRestarts()
    {
        await client.WriteSingleRegisterAsync(1, 50, 7, ct);
        await server!.StopAsync();

        var gone = await Assert.ThrowsAnyAsync<Exception>(() => client.ReadHoldingRegistersAsync(1, 50, 1, ct));
        Assert.True(gone is ModbusUnavailableException or ModbusProtocolException, gone.ToString());
        // Within the backoff the device is not even tried: the answer says so, and when it is tried next.
        var waiting = await Assert.ThrowsAsync<ModbusUnavailableException>(() => client.ReadHoldingRegistersAsync(1, 50, 1, ct));
        Assert.Contains("is not tried again for", waiting.Message, StringComparison.Ordinal);

        await server.StartAgainAsync(ct);
        // A restarted server starts from its map: the register written before is 0 again, read over a new connection.
        Assert.Equal([0], await EventuallyAsync(() => client.ReadHoldingRegistersAsync(1, 50, 1, ct)));
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await client.DisposeAsync();
            await server.DisposeAsync();
        }
    }

    private async Task<T> EventuallyAsync<T>(Func<Task<T>> action)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception ex) when (ex is ModbusUnavailableException or ModbusProtocolException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
            }
        }
    }
}
