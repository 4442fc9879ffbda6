using System.Net.Sockets;
using Portal.Shared.Connectors;

namespace Portal.Agent.Connectors.Modbus;

/// <summary>
/// A Modbus TCP client (Modbus Application Protocol V1.1b3 over the MBAP header): one request at a time on one
/// connection, opened when first needed. Every request has a deadline; a timeout, a broken connection or an answer
/// that does not fit its request closes the connection (the stream can no longer be trusted) and the next request
/// reconnects, after a backoff that grows while the device stays away. An exception response is the device's answer:
/// it is thrown as <see cref="ModbusException"/> and the connection stays.
/// </summary>
public sealed class ModbusTcpClient(ModbusClientOptions options, TimeProvider clock) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private TcpClient? tcp;
    private NetworkStream? stream;
    private ushort transaction;
    private TimeSpan backoff = TimeSpan.Zero;
    private DateTimeOffset notBefore = DateTimeOffset.MinValue;
    private string? lastError;

    public ModbusClientOptions Options => options;

    /// <summary>True while a connection is open.</summary>
    public bool Connected => stream is not null;

    public async Task<bool[]> ReadCoilsAsync(byte unit, int address, int count, CancellationToken ct = default) =>
        ModbusFrames.Bits(await ReadAsync(unit, ModbusFunction.ReadCoils, address, count, ct), count);

    public async Task<bool[]> ReadDiscreteInputsAsync(byte unit, int address, int count, CancellationToken ct = default) =>
        ModbusFrames.Bits(await ReadAsync(unit, ModbusFunction.ReadDiscreteInputs, address, count, ct), count);

    public async Task<ushort[]> ReadHoldingRegistersAsync(byte unit, int address, int count, CancellationToken ct = default) =>
        ModbusFrames.Registers(await ReadAsync(unit, ModbusFunction.ReadHoldingRegisters, address, count, ct), count);

    public async Task<ushort[]> ReadInputRegistersAsync(byte unit, int address, int count, CancellationToken ct = default) =>
        ModbusFrames.Registers(await ReadAsync(unit, ModbusFunction.ReadInputRegisters, address, count, ct), count);

    public Task WriteSingleCoilAsync(byte unit, int address, bool on, CancellationToken ct = default) =>
        WriteAsync(unit, id => ModbusFrames.WriteSingleCoil(id, unit, address, on), ct);

    public Task WriteSingleRegisterAsync(byte unit, int address, ushort value, CancellationToken ct = default) =>
        WriteAsync(unit, id => ModbusFrames.WriteSingleRegister(id, unit, address, value), ct);

    public Task WriteMultipleCoilsAsync(byte unit, int address, IReadOnlyList<bool> values, CancellationToken ct = default) =>
        WriteAsync(unit, id => ModbusFrames.WriteMultipleCoils(id, unit, address, values), ct);

    public Task WriteMultipleRegistersAsync(byte unit, int address, IReadOnlyList<ushort> values, CancellationToken ct = default) =>
        WriteAsync(unit, id => ModbusFrames.WriteMultipleRegisters(id, unit, address, values), ct);

    /// <summary>The point's engineering value (coils and discrete inputs read as 0 or 1).</summary>
    public async Task<double> ReadPointAsync(ModbusPoint point, CancellationToken ct = default) => point.Table switch
    {
        ModbusTable.Coil => (await ReadCoilsAsync(point.UnitId, point.Address, 1, ct))[0] ? 1 : 0,
        ModbusTable.DiscreteInput => (await ReadDiscreteInputsAsync(point.UnitId, point.Address, 1, ct))[0] ? 1 : 0,
        ModbusTable.HoldingRegister => ModbusCodec.Decode(point, await ReadHoldingRegistersAsync(point.UnitId, point.Address, point.RegisterCount, ct)),
        _ => ModbusCodec.Decode(point, await ReadInputRegistersAsync(point.UnitId, point.Address, point.RegisterCount, ct)),
    };

    /// <summary>Writes an engineering value: a coil is on for any value but 0; one register with function 6, more with 16.</summary>
    public Task WritePointAsync(ModbusPoint point, double value, CancellationToken ct = default)
    {
        if (!point.Writable)
        {
            throw new InvalidOperationException($"{point.Name} is a {point.Table}: read-only in Modbus.");
        }

        if (point.Table == ModbusTable.Coil)
        {
            return WriteSingleCoilAsync(point.UnitId, point.Address, value != 0, ct);
        }

        var registers = ModbusCodec.Encode(point, value);
        return registers.Length == 1
            ? WriteSingleRegisterAsync(point.UnitId, point.Address, registers[0], ct)
            : WriteMultipleRegistersAsync(point.UnitId, point.Address, registers, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync();
        try
        {
            Close();
        }
        finally
        {
            gate.Release();
        }

        gate.Dispose();
    }

    private async Task<byte[]> ReadAsync(byte unit, byte function, int address, int count, CancellationToken ct)
    {
        var pdu = await ExchangeAsync(unit, id => ModbusFrames.Read(id, unit, function, address, count), ct);
        return ModbusFrames.ReadData(pdu.Pdu, function, count).ToArray();
    }

    private async Task WriteAsync(byte unit, Func<ushort, byte[]> build, CancellationToken ct)
    {
        var (request, pdu) = await ExchangeAsync(unit, build, ct);
        ModbusFrames.CheckWriteEcho(pdu, request);
    }

    private async Task<(byte[] Request, byte[] Pdu)> ExchangeAsync(byte unit, Func<ushort, byte[]> build, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            var id = unchecked(++transaction);
            // Built before connecting: a request the protocol cannot carry is the caller's error, not the device's.
            var request = build(id);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(options.Timeout);
            try
            {
                var open = await ConnectAsync(deadline.Token);
                await open.WriteAsync(request, deadline.Token);
                var header = new byte[ModbusFrames.HeaderLength];
                await open.ReadExactlyAsync(header, deadline.Token);
                var pdu = new byte[ModbusFrames.PduLength(header, id, unit)];
                await open.ReadExactlyAsync(pdu, deadline.Token);
                (backoff, lastError) = (TimeSpan.Zero, null);
                return (request, pdu);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw Failed(new ModbusProtocolException($"No answer from {options.Host}:{options.Port} within {options.Timeout.TotalMilliseconds:0} ms."));
            }
            catch (Exception ex) when (ex is IOException or SocketException or EndOfStreamException or ModbusProtocolException)
            {
                throw Failed(ex is ModbusProtocolException ? ex : new ModbusUnavailableException($"The connection to {options.Host}:{options.Port} failed: {ex.Message}", ex));
            }
            catch (OperationCanceledException)
            {
                // The caller gave up mid-exchange: the answer may still arrive and would be read as the next request's.
                // The connection goes (no backoff: the device did nothing wrong), and the next request opens a new one.
                Close();
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<NetworkStream> ConnectAsync(CancellationToken ct)
    {
        if (stream is not null)
        {
            return stream;
        }

        var now = clock.GetUtcNow();
        if (now < notBefore)
        {
            throw new ModbusUnavailableException(
                $"{options.Host}:{options.Port} is not tried again for {(notBefore - now).TotalSeconds:0.#} s after: {lastError}");
        }

        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(options.Host, options.Port, ct);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        tcp = client;
        stream = client.GetStream();
        return stream;
    }

    /// <summary>Closes the connection and sets when to try again; returns the exception to throw.</summary>
    private Exception Failed(Exception ex)
    {
        Close();
        backoff = backoff == TimeSpan.Zero ? options.ReconnectMin : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.ReconnectMax.Ticks));
        notBefore = clock.GetUtcNow() + backoff;
        lastError = ex.Message;
        return ex;
    }

    private void Close()
    {
        stream?.Dispose();
        tcp?.Dispose();
        (stream, tcp) = (null, null);
    }
}
