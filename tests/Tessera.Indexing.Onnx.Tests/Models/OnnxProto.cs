using Google.Protobuf;

namespace Tessera.Indexing.Onnx.Tests.Models;

/// <summary>
/// Hand-encodes the few ONNX protobuf messages a test model needs (field numbers from onnx/onnx.proto):
/// <c>ModelProto</c>, <c>GraphProto</c>, <c>NodeProto</c>, <c>AttributeProto</c>, <c>TensorProto</c>,
/// <c>ValueInfoProto</c>, <c>TypeProto</c>, <c>TensorShapeProto</c> and <c>OperatorSetIdProto</c>.
/// </summary>
internal static class OnnxProto
{
    public const int ElementFloat = 1;
    public const int ElementInt64 = 7;

    // AttributeProto.AttributeType
    private const int AttributeFloat = 1;
    private const int AttributeInt = 2;
    private const int AttributeInts = 7;

    /// <summary>ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8.</summary>
    public static byte[] Model(byte[] graph, long irVersion, long opset) => Message(o =>
    {
        o.WriteTag(1, WireFormat.WireType.Varint);
        o.WriteInt64(irVersion);
        o.WriteTag(2, WireFormat.WireType.LengthDelimited);
        o.WriteString("tessera-tests");
        WriteMessage(o, 7, graph);
        WriteMessage(o, 8, Message(op =>
        {
            // OperatorSetIdProto: domain = 1 (empty: the default ONNX domain), version = 2.
            op.WriteTag(1, WireFormat.WireType.LengthDelimited);
            op.WriteString(string.Empty);
            op.WriteTag(2, WireFormat.WireType.Varint);
            op.WriteInt64(opset);
        }));
    });

    /// <summary>GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.</summary>
    public static byte[] Graph(string name, IEnumerable<byte[]> nodes, IEnumerable<byte[]> initializers, IEnumerable<byte[]> inputs, IEnumerable<byte[]> outputs) => Message(o =>
    {
        foreach (var node in nodes)
        {
            WriteMessage(o, 1, node);
        }

        o.WriteTag(2, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        foreach (var initializer in initializers)
        {
            WriteMessage(o, 5, initializer);
        }

        foreach (var input in inputs)
        {
            WriteMessage(o, 11, input);
        }

        foreach (var output in outputs)
        {
            WriteMessage(o, 12, output);
        }
    });

    /// <summary>NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.</summary>
    public static byte[] Node(string opType, string name, string[] inputs, string[] outputs, params byte[][] attributes) => Message(o =>
    {
        foreach (var input in inputs)
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteString(input);
        }

        foreach (var output in outputs)
        {
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteString(output);
        }

        o.WriteTag(3, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        o.WriteTag(4, WireFormat.WireType.LengthDelimited);
        o.WriteString(opType);
        foreach (var attribute in attributes)
        {
            WriteMessage(o, 5, attribute);
        }
    });

    /// <summary>AttributeProto with ints = 8 (packed) and type = 20 (INTS).</summary>
    public static byte[] IntsAttribute(string name, params long[] values) => Message(o =>
    {
        WriteAttributeName(o, name);
        foreach (var value in values)
        {
            // proto2 repeated int64 without [packed]: one tag per element.
            o.WriteTag(8, WireFormat.WireType.Varint);
            o.WriteInt64(value);
        }

        o.WriteTag(20, WireFormat.WireType.Varint);
        o.WriteInt32(AttributeInts);
    });

    /// <summary>AttributeProto with i = 3 and type = 20 (INT).</summary>
    public static byte[] IntAttribute(string name, long value) => Message(o =>
    {
        WriteAttributeName(o, name);
        o.WriteTag(3, WireFormat.WireType.Varint);
        o.WriteInt64(value);
        o.WriteTag(20, WireFormat.WireType.Varint);
        o.WriteInt32(AttributeInt);
    });

    /// <summary>AttributeProto with f = 2 and type = 20 (FLOAT).</summary>
    public static byte[] FloatAttribute(string name, float value) => Message(o =>
    {
        WriteAttributeName(o, name);
        o.WriteTag(2, WireFormat.WireType.Fixed32);
        o.WriteFloat(value);
        o.WriteTag(20, WireFormat.WireType.Varint);
        o.WriteInt32(AttributeFloat);
    });

    /// <summary>TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian floats).</summary>
    public static byte[] FloatTensor(string name, long[] dims, float[] values) => Message(o =>
    {
        foreach (var dim in dims)
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteInt64(dim);
        }

        o.WriteTag(2, WireFormat.WireType.Varint);
        o.WriteInt32(ElementFloat);
        o.WriteTag(8, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        var raw = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        o.WriteTag(9, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(raw));
    });

    /// <summary>
    /// ValueInfoProto (name = 1, type = 2) of a tensor: TypeProto.tensor_type = 1 → Tensor (elem_type = 1, shape = 2)
    /// → TensorShapeProto.dim = 1 → Dimension (dim_value = 1 or dim_param = 2). A dimension is a <see cref="long"/>
    /// or, for a named open dimension, a <see cref="string"/>.
    /// </summary>
    public static byte[] TensorValueInfo(string name, int elementType, params object[] dims) => Message(o =>
    {
        o.WriteTag(1, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        var shape = Message(s =>
        {
            foreach (var dim in dims)
            {
                WriteMessage(s, 1, Message(d =>
                {
                    if (dim is string param)
                    {
                        d.WriteTag(2, WireFormat.WireType.LengthDelimited);
                        d.WriteString(param);
                    }
                    else
                    {
                        d.WriteTag(1, WireFormat.WireType.Varint);
                        d.WriteInt64(Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }));
            }
        });
        var tensorType = Message(t =>
        {
            t.WriteTag(1, WireFormat.WireType.Varint);
            t.WriteInt32(elementType);
            WriteMessage(t, 2, shape);
        });
        WriteMessage(o, 2, Message(type => WriteMessage(type, 1, tensorType)));
    });

    private static void WriteAttributeName(CodedOutputStream o, string name)
    {
        o.WriteTag(1, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
    }

    private static void WriteMessage(CodedOutputStream o, int field, byte[] message)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(message));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            write(output);
            output.Flush();
        }

        return stream.ToArray();
    }
}
