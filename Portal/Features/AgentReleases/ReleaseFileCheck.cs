namespace Portal.Features.AgentReleases;

/// <summary>
/// Pure: whether an uploaded file is a Linux executable for the architecture it was uploaded as (an ELF file, 64-bit,
/// little-endian, whose machine is x86-64 for <c>linux-x64</c> or AArch64 for <c>linux-arm64</c>), from its first 20 bytes.
/// </summary>
public static class ReleaseFileCheck
{
    private const ushort MachineX64 = 62;
    private const ushort MachineArm64 = 183;

    /// <summary>Null when it fits; otherwise a sentence saying what the file is not.</summary>
    public static string? Problem(string architecture, ReadOnlySpan<byte> head)
    {
        var expected = architecture switch { "linux-x64" => MachineX64, "linux-arm64" => MachineArm64, _ => (ushort)0 };
        if (expected == 0)
        {
            return $"'{architecture}' is not an architecture agents are built for: use linux-x64 or linux-arm64.";
        }

        if (head.Length < 20 || head[0] != 0x7F || head[1] != (byte)'E' || head[2] != (byte)'L' || head[3] != (byte)'F')
        {
            return $"The {architecture} file is not a Linux executable (no ELF header): upload the single file Portal.Agent/deploy/publish.sh writes.";
        }

        if (head[4] != 2 || head[5] != 1)
        {
            return $"The {architecture} file is not a 64-bit little-endian executable.";
        }

        var machine = (ushort)(head[18] | (head[19] << 8));
        return machine == expected ? null
            : $"The {architecture} file is built for {(machine switch { MachineX64 => "linux-x64", MachineArm64 => "linux-arm64", _ => $"machine {machine}" })}, not {architecture}: upload each build under its own architecture.";
    }
}
