namespace Portal.Agent.Connectors.Modbus;

/// <summary>The public function codes this client speaks (Modbus Application Protocol V1.1b3, section 6).</summary>
public static class ModbusFunction
{
    public const byte ReadCoils = 1;
    public const byte ReadDiscreteInputs = 2;
    public const byte ReadHoldingRegisters = 3;
    public const byte ReadInputRegisters = 4;
    public const byte WriteSingleCoil = 5;
    public const byte WriteSingleRegister = 6;
    public const byte WriteMultipleCoils = 15;
    public const byte WriteMultipleRegisters = 16;

    /// <summary>The most bits one read may ask for (spec: 2000), and registers (125).</summary>
    public const int MaxReadBits = 2000;
    public const int MaxReadRegisters = 125;

    /// <summary>The most coils one write may carry (1968) and registers (123).</summary>
    public const int MaxWriteBits = 1968;
    public const int MaxWriteRegisters = 123;
}
