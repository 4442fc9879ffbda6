namespace Portal.Agent.Inference;

/// <summary>
/// The few top-level fields of an ONNX ModelProto that ONNX Runtime's API does not expose: the IR version, producer
/// and operator set imports. Read straight from the protobuf wire format, skipping the graph without loading it.
/// </summary>
public sealed record OnnxModelFile(long IrVersion, string Producer, string ProducerVersion, IReadOnlyDictionary<string, long> Opsets)
{
    public static OnnxModelFile Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        long ir = 0;
        string producer = "", producerVersion = "";
        var opsets = new SortedDictionary<string, long>(StringComparer.Ordinal);
        while (stream.Position < stream.Length)
        {
            var (field, wire) = ReadTag(stream);
            switch (field, wire)
            {
                case (1, 0):
                    ir = (long)ReadVarint(stream);
                    break;
                case (2, 2):
                    producer = ReadString(stream);
                    break;
                case (3, 2):
                    producerVersion = ReadString(stream);
                    break;
                case (8, 2):
                    var (domain, version) = ReadOpset(ReadBytes(stream));
                    opsets[domain.Length == 0 ? "ai.onnx" : domain] = version;
                    break;
                default:
                    Skip(stream, wire);
                    break;
            }
        }

        return new OnnxModelFile(ir, producer, producerVersion, opsets);
    }

    private static (string Domain, long Version) ReadOpset(byte[] message)
    {
        using var stream = new MemoryStream(message);
        var domain = "";
        long version = 0;
        while (stream.Position < stream.Length)
        {
            var (field, wire) = ReadTag(stream);
            if (field == 1 && wire == 2)
            {
                domain = ReadString(stream);
            }
            else if (field == 2 && wire == 0)
            {
                version = (long)ReadVarint(stream);
            }
            else
            {
                Skip(stream, wire);
            }
        }

        return (domain, version);
    }

    private static (int Field, int Wire) ReadTag(Stream stream)
    {
        var tag = ReadVarint(stream);
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    private static ulong ReadVarint(Stream stream)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new InvalidDataException("The file ends in the middle of a field.");
            }

            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("A length in the file is malformed.");
    }

    private static byte[] ReadBytes(Stream stream)
    {
        var length = ReadVarint(stream);
        if (length > (ulong)(stream.Length - stream.Position) || length > 16 * 1024 * 1024)
        {
            throw new InvalidDataException("A field is longer than the file.");
        }

        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static string ReadString(Stream stream) => System.Text.Encoding.UTF8.GetString(ReadBytes(stream));

    private static void Skip(Stream stream, int wire)
    {
        if (wire == 0)
        {
            ReadVarint(stream);
            return;
        }

        var skip = wire switch
        {
            1 => 8,
            2 => (long)ReadVarint(stream),
            5 => 4,
            _ => throw new InvalidDataException($"Unknown protobuf wire type {wire}."),
        };
        if (skip < 0 || stream.Position + skip > stream.Length)
        {
            throw new InvalidDataException("A field is longer than the file.");
        }

        stream.Seek(skip, SeekOrigin.Current);
    }
}
